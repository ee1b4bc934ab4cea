import type { APIEmbed } from "discord-api-types/payloads/v10";
import { counted, escapeMarkdown, inlineCode } from "../format/text";

/** What the alert says, read from Postgres once the raid's rows are there. */
export interface RaidFacts {
  /** The raid_alerts row: the list button names it. */
  alertId: number;
  inviteCode: string | null;
  /** The code's source, when it has one. */
  sourceName: string | null;
  phase: "start" | "update" | "end";
  startedAt: Date;
  lastJoinAt: Date;
  endedAt: Date | null;
  joins: number;
  perMinute: number;
  peakPerMinute: number;
  /** Of the raid's joins written so far: how many, and how many with an account younger than the fake-account age. */
  written: number;
  young: number;
  fakeAccountAgeDays: number;
}

const RED = 0xed4245;
const GREY = 0x99aab5;
const stamp = (d: Date) => `<t:${Math.floor(d.getTime() / 1000)}:T>`;

/** "through **Reddit** (`abc123`)", "through `abc123` (no source)", or "through no invite (Server Discovery, an OAuth add)". */
export function raidThrough(f: Pick<RaidFacts, "inviteCode" | "sourceName">): string {
  if (f.inviteCode === null) return "through no invite (Server Discovery, an OAuth add)";
  return f.sourceName === null ? `through ${inlineCode(f.inviteCode)} (no source)` : `through **${escapeMarkdown(f.sourceName)}** (${inlineCode(f.inviteCode)})`;
}

/** "42 % (21 of 50) younger than 7 days". */
export function youngShare(f: Pick<RaidFacts, "written" | "young" | "fakeAccountAgeDays">): string {
  const age = counted(f.fakeAccountAgeDays, "day");
  if (f.written === 0) return `no joins written yet to tell accounts younger than ${age}`;
  return `${Math.round((100 * f.young) / f.written)} % (${f.young} of ${f.written}) younger than ${age}`;
}

/**
 * The alert: one message per raid, edited as it goes on and closed with a
 * summary. The buttons are for Manage Server (checked when pressed); a raid
 * through no invite has nothing to pause.
 */
export function raidMessage(f: RaidFacts): { content: string; embeds: APIEmbed[]; components: unknown[] } {
  const over = f.phase === "end";
  const window = `${stamp(f.startedAt)} – ${stamp(over && f.endedAt ? f.endedAt : f.lastJoinAt)}`;
  const lines = over
    ? [
        `The raid is over: ${counted(f.joins, "join")} ${raidThrough(f)}, ${window}.`,
        `**Peak:** ${counted(f.peakPerMinute, "join")} a minute`,
        `**Accounts:** ${youngShare(f)}`,
      ]
    : [
        `${counted(f.joins, "join")} ${raidThrough(f)} since ${stamp(f.startedAt)}.`,
        `**Now:** ${counted(f.perMinute, "join")} a minute (peak ${f.peakPerMinute})`,
        `**Accounts:** ${youngShare(f)}`,
        "Nobody is kicked or banned automatically: you decide.",
      ];
  const buttons = [
    ...(f.inviteCode === null ? [] : [{ type: 2, style: 4, label: "Pause this invite", custom_id: pauseButtonId(f.inviteCode) }]),
    { type: 2, style: 2, label: "List the members", custom_id: listButtonId(f.alertId, 0, "a") },
  ];
  return {
    content: over ? "✅ Raid over" : "🚨 Raid in progress",
    embeds: [{ title: over ? "Raid summary" : "Raid alert", description: lines.join("\n"), color: over ? GREY : RED }],
    components: [{ type: 1, components: buttons }],
  };
}

/** Invite codes as Discord makes them (and vanity codes): letters, digits, dashes. */
const CODE = "[A-Za-z0-9-]{2,32}";
const PAUSE_ID = new RegExp(`^raid:pause:(${CODE})$`);
/** `a`: from the alert (answers a new ephemeral message); `p`/`n`: Previous/Next on that list (edits it). */
const LIST_ID = /^raid:list:(\d{1,10}):(\d{1,5}):([apn])$/;

export const pauseButtonId = (code: string) => `raid:pause:${code}`;
export const listButtonId = (alertId: number, page: number, from: "a" | "p" | "n") => `raid:list:${alertId}:${page}:${from}`;

export type RaidButton = { kind: "pause"; code: string } | { kind: "list"; alertId: number; page: number; fromAlert: boolean };

/** The button a custom_id names, or null when the bot could not have made it (anyone can send any custom_id). */
export function parseRaidButton(id: string): RaidButton | null {
  const pause = PAUSE_ID.exec(id);
  if (pause) return { kind: "pause", code: pause[1]! };
  const list = LIST_ID.exec(id);
  if (!list) return null;
  const alertId = Number(list[1]);
  if (alertId < 1 || alertId > 2 ** 31 - 1) return null;
  return { kind: "list", alertId, page: Number(list[2]), fromAlert: list[3] === "a" };
}

export const LIST_PAGE_SIZE = 20;

/** One page of who joined in the raid's window, with Previous/Next when there is more than one. */
export function memberListPage(
  f: Pick<RaidFacts, "alertId" | "inviteCode" | "sourceName" | "startedAt" | "lastJoinAt" | "endedAt">,
  members: ReadonlyArray<{ userId: string; joinedAt: Date }>,
  total: number,
  page: number,
) {
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const lines = members.map((m, i) => `${page * LIST_PAGE_SIZE + i + 1}. <@${m.userId}> ${stamp(m.joinedAt)}`);
  const button = (label: string, target: number, from: "p" | "n", disabled: boolean) => ({ type: 2, style: 2, label, custom_id: listButtonId(f.alertId, target, from), disabled });
  return {
    embeds: [
      {
        title: `Joined ${raidThrough(f).replace(/\*\*/g, "")}`.slice(0, 256),
        description: lines.length > 0 ? lines.join("\n") : "No joins of this raid are written yet.",
        footer: { text: `${counted(total, "member")} · page ${Math.min(page, pages - 1) + 1} of ${pages}` },
      },
    ],
    components: pages > 1 ? [{ type: 1, components: [button("◀ Previous", Math.max(0, page - 1), "p", page === 0), button("Next ▶", page + 1, "n", page + 1 >= pages)] }] : [],
  };
}
