import type { APIEmbed } from "discord-api-types/payloads/v10";
import { escapeMarkdown, inlineCode } from "../format/text";
import type { Messages } from "../i18n/messages";

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
export function raidThrough(f: Pick<RaidFacts, "inviteCode" | "sourceName">, m: Messages): string {
  if (f.inviteCode === null) return m.t("raid.through_none");
  return f.sourceName === null
    ? m.t("raid.through_code", { code: inlineCode(f.inviteCode) })
    : m.t("raid.through_source", { source: escapeMarkdown(f.sourceName), code: inlineCode(f.inviteCode) });
}

/** "42 % (21 of 50) younger than 7 days". */
export function youngShare(f: Pick<RaidFacts, "written" | "young" | "fakeAccountAgeDays">, m: Messages): string {
  if (f.written === 0) return m.t("raid.young_unknown", { days: f.fakeAccountAgeDays });
  return m.t("raid.young_share", { percent: Math.round((100 * f.young) / f.written), young: f.young, written: f.written, days: f.fakeAccountAgeDays });
}

/**
 * The alert: one message per raid, edited as it goes on and closed with a
 * summary. The buttons are for Manage Server (checked when pressed); a raid
 * through no invite has nothing to pause. A public post: in the server's language.
 */
export function raidMessage(f: RaidFacts, m: Messages): { content: string; embeds: APIEmbed[]; components: unknown[] } {
  const over = f.phase === "end";
  const window = `${stamp(f.startedAt)} – ${stamp(over && f.endedAt ? f.endedAt : f.lastJoinAt)}`;
  const through = raidThrough(f, m);
  const lines = over
    ? [
        m.t("raid.over", { joins: f.joins, through, window }),
        m.t("raid.peak", { peak: f.peakPerMinute }),
        m.t("raid.accounts", { share: youngShare(f, m) }),
      ]
    : [
        m.t("raid.ongoing", { joins: f.joins, through, since: stamp(f.startedAt) }),
        m.t("raid.now", { perMinute: f.perMinute, peak: f.peakPerMinute }),
        m.t("raid.accounts", { share: youngShare(f, m) }),
        m.t("raid.no_automatic_action"),
      ];
  const buttons = [
    ...(f.inviteCode === null ? [] : [{ type: 2, style: 4, label: m.t("raid.button.pause"), custom_id: pauseButtonId(f.inviteCode) }]),
    { type: 2, style: 2, label: m.t("raid.button.list"), custom_id: listButtonId(f.alertId, 0, "a") },
  ];
  return {
    content: over ? m.t("raid.content.over") : m.t("raid.content.ongoing"),
    embeds: [{ title: over ? m.t("raid.title.summary") : m.t("raid.title.alert"), description: lines.join("\n"), color: over ? GREY : RED }],
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
  m: Messages,
) {
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const lines = members.map((member, i) => `${page * LIST_PAGE_SIZE + i + 1}. <@${member.userId}> ${stamp(member.joinedAt)}`);
  const button = (label: string, target: number, from: "p" | "n", disabled: boolean) => ({ type: 2, style: 2, label, custom_id: listButtonId(f.alertId, target, from), disabled });
  return {
    embeds: [
      {
        title: m.t("raid.list.title", { through: raidThrough(f, m).replace(/\*\*/g, "") }).slice(0, 256),
        description: lines.length > 0 ? lines.join("\n") : m.t("raid.list.empty"),
        footer: { text: m.t("raid.list.footer", { total, page: Math.min(page, pages - 1) + 1, pages }) },
      },
    ],
    components: pages > 1 ? [{ type: 1, components: [button(m.t("leaderboard.previous"), Math.max(0, page - 1), "p", page === 0), button(m.t("leaderboard.next"), page + 1, "n", page + 1 >= pages)] }] : [],
  };
}
