import type { APIEmbed } from "discord-api-types/payloads/v10";
import { UNATTRIBUTED_KINDS, unattributedLabel, type Unattributed } from "./unattributed";
import { escapeMarkdown, fitLines, inlineCode } from "./text";
import type { Messages } from "../i18n/messages";


export interface StatsRow {
  name: string;
  retired: boolean;
  /** Counted uses of the source's invites in the window. */
  joins: number;
  /** Of them, the members the bot named. */
  named: number;
}

export const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${((part / whole) * 100).toFixed(1)}%`);

/** Why the totals are exact when members are not, under every report that counts from the ledger. */
export const totalsNote = (m: Messages) => m.t("stats.totals_note");

/**
 * `/invite stats`: joins per source (its invites' counted uses, with how many of
 * those members are named) and shares. Joins without a source are rows of their
 * own, one per cause: the vanity URL (named after its code), unlabelled invites,
 * joins that moved no invite, uses never counted and joins the relay missed.
 */
export function formatStats(sources: StatsRow[], unattributed: Unattributed, days: number, m: Messages): APIEmbed {
  const rows = [
    ...sources.map((r) => ({ label: r.retired ? m.t("stats.source_retired", { name: escapeMarkdown(r.name) }) : `**${escapeMarkdown(r.name)}**`, joins: r.joins, named: r.named as number | null })),
    ...UNATTRIBUTED_KINDS.map((kind) => ({ label: unattributedLabel(kind, unattributed.vanityCode, m), joins: unattributed.counts[kind], named: null })),
  ]
    .filter((r) => r.joins > 0)
    .sort((a, b) => b.joins - a.joins);
  const total = rows.reduce((sum, r) => sum + r.joins, 0);
  const title = m.t("stats.title", { days, total });
  if (total === 0) return { title, description: m.t("stats.empty") };
  const line = (r: (typeof rows)[number]) =>
    r.named === null
      ? m.t("stats.line", { label: r.label, joins: r.joins, share: percent(r.joins, total) })
      : m.t("stats.line_named", { label: r.label, joins: r.joins, named: r.named, share: percent(r.joins, total) });
  return { title, description: fitLines(rows.map(line), undefined, m), footer: { text: totalsNote(m) } };
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
export function formatSourceDetail(detail: SourceDetail, days: number, m: Messages): APIEmbed {
  const best = detail.daily.reduce((top, d) => (d.joins > top.joins ? d : top), { day: "", joins: 0 });
  const invites = detail.invites.length
    ? detail.invites.map((i) => m.t("source_detail.invite", { code: inlineCode(i.code), uses: i.uses, max: i.maxUses === 0 ? "∞" : i.maxUses, marked: String(i.marked), deleted: String(i.deleted) }))
    : [m.t("source_detail.no_invites")];
  const lines = [
    m.t("source_detail.daily", { from: detail.daily[0]?.day ?? "", to: detail.daily.at(-1)?.day ?? "" }),
    `\`${sparkline(detail.daily.map((d) => d.joins))}\``,
    best.joins > 0 ? m.t("source_detail.busiest", { day: best.day, joins: best.joins }) : m.t("source_detail.no_joins"),
    "",
    m.t("source_detail.retention", { still: detail.stillMembers, named: detail.named, share: percent(detail.stillMembers, detail.named) }),
    "",
    m.t("source_detail.invites", { count: detail.invites.length }),
    ...invites,
  ];
  return {
    title: m.t("source_detail.title", { name: escapeMarkdown(detail.name), retired: String(detail.retired), joins: detail.joins, days, named: detail.named }),
    description: fitLines(lines, undefined, m),
    footer: { text: totalsNote(m) },
  };
}
