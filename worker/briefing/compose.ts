/**
 * The weekly briefing, composed without I/O: figures in, the embed and the
 * chart's SVG out. `/invite briefing` and the weekly post share it.
 */
import { PNG_CHART_FONTS } from "../charts/fonts";
import type { APIEmbed } from "discord-api-types/payloads/v10";
import { stackedBarSvg, type StackedSeries } from "../charts/svg";
import { percent } from "../format/stats";
import { escapeMarkdown, fitLines } from "../format/text";
import type { Messages } from "../i18n/messages";
import { UNATTRIBUTED_KINDS, unattributedLabel, unattributedTotal, type Unattributed } from "../format/unattributed";
import type { HealthLine } from "../health/report";

export interface BriefingFigures {
  /** When the week it reports ends (the slot, or now for a preview). */
  now: number;
  /** The ISO week key the post carries (also how a lost post is found again). */
  week: string;
  /** Joins per source in the 7 days before `now`, and in the 7 before those. */
  sources: Array<{ name: string; joins: number; lastWeek: number }>;
  unattributed: Unattributed;
  lastWeekUnattributed: number;
  /** Of the members who joined in the previous week, how many are still here. */
  retention: { joiners: number; stillMembers: number };
  /** The week's best inviters by invites (regular − fake − left + bonus), as the leaderboard counts them. */
  topInviters: Array<{ userId: string; invites: number }>;
  /** Null until the guild has minted any invitation. */
  invitations: { minted: number; spent: number; mintedEver: number; spentEver: number } | null;
  /** Health lines that need an admin. */
  warnings: HealthLine[];
  chart: { days: string[]; series: StackedSeries[] };
}

export const CHART_FILE = "briefing.png";
export const CHART_SIZE = { width: 800, height: 360 } as const;
const TOP_SOURCES = 10;
export const TOP_INVITERS = 5;

/** "+3", "−2", "±0", or "new" when last week had none. */
export function change(now: number, before: number, m: Messages): string {
  if (before === 0) return now === 0 ? "±0" : m.t("briefing.new");
  const diff = now - before;
  return diff === 0 ? "±0" : diff > 0 ? `+${m.number(diff)}` : `−${m.number(-diff)}`;
}

/** The week's total against the week before's: "+3 on last week", or "none the week before" (no change to speak of). */
export const versusLastWeek = (now: number, before: number, m: Messages) =>
  before === 0 ? m.t("briefing.none_before") : m.t("briefing.versus", { change: change(now, before, m) });

/** The footer that names the week: the post's identity, found again after a crash. */
export const weekFooter = (week: string, m: Messages) => m.t("briefing.footer", { week });

export function composeBriefing(f: BriefingFigures, m: Messages): APIEmbed {
  const unattributed = unattributedTotal(f.unattributed);
  const total = f.sources.reduce((sum, s) => sum + s.joins, 0) + unattributed;
  const lastTotal = f.sources.reduce((sum, s) => sum + s.lastWeek, 0) + f.lastWeekUnattributed;
  const shown = f.sources.filter((s) => s.joins > 0 || s.lastWeek > 0).slice(0, TOP_SOURCES);
  const hidden = f.sources.length - shown.length;
  const count = (n: number) => m.number(n);

  const sections: string[] = [];
  sections.push(
    shown.length === 0
      ? m.t("briefing.no_labelled_joins")
      : [
          ...shown.map((s) => `**${escapeMarkdown(s.name)}**: ${count(s.joins)} (${change(s.joins, s.lastWeek, m)})`),
          ...(hidden > 0 ? [m.t("briefing.more_sources", { count: hidden })] : []),
        ].join("\n"),
  );
  const causes = UNATTRIBUTED_KINDS.filter((k) => f.unattributed.counts[k] > 0).map(
    (k) => `• ${unattributedLabel(k, f.unattributed.vanityCode, m)}: ${count(f.unattributed.counts[k])}`,
  );
  sections.push(`${m.t("briefing.no_source", { count: unattributed, share: percent(unattributed, total) })}${causes.length ? `\n${causes.join("\n")}` : ""}`);
  sections.push(
    f.retention.joiners === 0
      ? m.t("briefing.retention_none")
      : m.t("briefing.retention", { still: f.retention.stillMembers, joiners: f.retention.joiners, share: percent(f.retention.stillMembers, f.retention.joiners) }),
  );
  if (f.topInviters.length > 0) {
    sections.push(`${m.t("briefing.top_inviters")}\n${f.topInviters.slice(0, TOP_INVITERS).map((i, n) => `${n + 1}. <@${i.userId}>: ${count(i.invites)}`).join("\n")}`);
  }
  if (f.invitations) {
    const { minted, spent, mintedEver, spentEver } = f.invitations;
    sections.push(m.t("briefing.invitations", { minted, spent, share: percent(spentEver, mintedEver) }));
  }
  if (f.warnings.length > 0) {
    sections.push(`${m.t("briefing.needs_attention")}\n${f.warnings.map((w) => `${w.level === "bad" ? "❌" : "⚠️"} ${w.topic}: ${w.text}${w.action ? ` — ${w.action}` : ""}`).join("\n")}`);
  }
  return {
    title: m.t("briefing.title", { total, versus: versusLastWeek(total, lastTotal, m) }),
    description: fitLines(sections.join("\n\n").split("\n"), undefined, m),
    image: { url: `attachment://${CHART_FILE}` },
    footer: { text: weekFooter(f.week, m) },
    timestamp: new Date(f.now).toISOString(),
  };
}

export function briefingChartSvg(f: BriefingFigures, m: Messages): string {
  return stackedBarSvg({ title: m.t("briefing.chart.title"), days: f.chart.days, series: f.chart.series, ...CHART_SIZE, fontFamily: PNG_CHART_FONTS });
}

/** Sources drawn in the chart by name; the rest are stacked as "Other sources". */
const CHART_SOURCES = 4;

/** Daily joins stacked by the window's top sources, then "Other", then joins with no source. */
export function chartSeries(days: string[], rows: Array<{ day: string; source_id: number | null; name: string | null; joins: number }>, m: Messages) {
  const totals = new Map<number, { name: string; joins: number }>();
  for (const r of rows) {
    if (r.source_id === null) continue;
    const entry = totals.get(r.source_id) ?? { name: r.name ?? `#${r.source_id}`, joins: 0 };
    entry.joins += r.joins;
    totals.set(r.source_id, entry);
  }
  const top = [...totals].sort((a, b) => b[1].joins - a[1].joins).slice(0, CHART_SOURCES).map(([id]) => id);
  const index = new Map(days.map((d, i) => [d, i]));
  const series: StackedSeries[] = [...top.map((id) => ({ name: totals.get(id)!.name, values: days.map(() => 0) }))];
  const other: StackedSeries = { name: m.t("briefing.chart.other_sources"), values: days.map(() => 0), color: "#99AAB5" };
  const none: StackedSeries = { name: m.t("briefing.chart.no_source"), values: days.map(() => 0), color: "#6D6F78" };
  for (const r of rows) {
    const d = index.get(r.day);
    if (d === undefined) continue;
    const target = r.source_id === null ? none : (series[top.indexOf(r.source_id)] ?? other);
    target.values[d]! += r.joins;
  }
  return { days, series: [...series, ...[other, none].filter((s) => s.values.some((v) => v > 0))] };
}
