import type { APIEmbed } from "discord-api-types/payloads/v10";
import { UNATTRIBUTED_KINDS, unattributedLabel, type Unattributed } from "./unattributed";
import { escapeMarkdown, fitLines, inlineCode } from "./text";

export interface StatsRow {
  name: string;
  retired: boolean;
  /** Counted uses of the source's invites in the window. */
  joins: number;
  /** Of them, the members the bot named. */
  named: number;
}

export const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${((part / whole) * 100).toFixed(1)}%`);
const count = (n: number) => n.toLocaleString("en-US");
const windowName = (days: number) => `the last ${days} day${days === 1 ? "" : "s"}`;

/** Why the totals are exact when members are not, under every report that counts from the ledger. */
export const TOTALS_NOTE = "Totals count invite uses, exact even where members cannot be told apart; “named” are the members the bot can name.";

/**
 * `/invite stats`: joins per source (its invites' counted uses, with how many of
 * those members are named) and shares. Joins without a source are rows of their
 * own, one per cause: the vanity URL (named after its code), unlabelled invites,
 * joins that moved no invite, uses never counted and joins the relay missed.
 */
export function formatStats(sources: StatsRow[], unattributed: Unattributed, days: number): APIEmbed {
  const rows = [
    ...sources.map((r) => ({ label: `**${escapeMarkdown(r.name)}**${r.retired ? " (retired)" : ""}`, joins: r.joins, named: r.named as number | null })),
    ...UNATTRIBUTED_KINDS.map((kind) => ({ label: unattributedLabel(kind, unattributed.vanityCode), joins: unattributed.counts[kind], named: null })),
  ]
    .filter((r) => r.joins > 0)
    .sort((a, b) => b.joins - a.joins);
  const total = rows.reduce((sum, r) => sum + r.joins, 0);
  const title = `Joins in ${windowName(days)}: ${count(total)}`;
  if (total === 0) return { title, description: "No joins recorded in this window yet." };
  const line = (r: (typeof rows)[number]) => `${r.label}: ${count(r.joins)}${r.named === null ? "" : ` (${count(r.named)} named)`} · ${percent(r.joins, total)}`;
  return { title, description: fitLines(rows.map(line)), footer: { text: TOTALS_NOTE } };
}

export interface SourceDetail {
  name: string;
  retired: boolean;
  /** `marked`: made with the source's mark (worker/marks). */
  invites: Array<{ code: string; uses: number; maxUses: number; deleted: boolean; marked: boolean }>;
  /** Counted uses of its invites per UTC day over the window, oldest first, one entry per day. */
  daily: Array<{ day: string; joins: number }>;
  /** Counted uses over the window (at least the members named). */
  joins: number;
  /** Members named with the source in the window, and how many of them are still here. */
  named: number;
  stillMembers: number;
}

const BARS = "▁▂▃▄▅▆▇█";

/** One character per day, scaled to the busiest day: the shape of a month in a line. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 || v === 0 ? "·" : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))])).join("");
}

/** `/invite stats source:<name>`: one source's invites, daily joins over the window, and retention of its named members. */
export function formatSourceDetail(detail: SourceDetail, days: number): APIEmbed {
  const best = detail.daily.reduce((top, d) => (d.joins > top.joins ? d : top), { day: "", joins: 0 });
  const invites = detail.invites.length
    ? detail.invites.map((i) => `${inlineCode(i.code)} ${i.uses}/${i.maxUses === 0 ? "∞" : i.maxUses} uses${i.marked ? " · marked" : ""}${i.deleted ? " (deleted)" : ""}`)
    : ["No invites are labelled with it."];
  const lines = [
    `**Daily joins** (${detail.daily[0]?.day ?? ""} → ${detail.daily.at(-1)?.day ?? ""}, UTC)`,
    `\`${sparkline(detail.daily.map((d) => d.joins))}\``,
    best.joins > 0 ? `Busiest day: ${best.day} with ${count(best.joins)}` : "No joins in this window.",
    "",
    `**Retention:** ${count(detail.stillMembers)} of ${count(detail.named)} named members still here (${percent(detail.stillMembers, detail.named)})`,
    "",
    `**Invites (${detail.invites.length})**`,
    ...invites,
  ];
  return {
    title: `${escapeMarkdown(detail.name)}${detail.retired ? " (retired)" : ""}: ${count(detail.joins)} joins in ${windowName(days)} (${count(detail.named)} named)`,
    description: fitLines(lines),
    footer: { text: TOTALS_NOTE },
  };
}
