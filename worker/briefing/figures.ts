import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { HealthLine } from "../health/report";
import { totalsUnattributed, unattributedTotal } from "../format/unattributed";
import { dailySourceRows } from "../store/daily-sources";
import { sourceTotals, type SourceTotalsReport } from "../store/source-totals";
import { windowDays } from "../store/source-detail";
import { totalInvites } from "../inviters/counts";
import { countScope } from "../inviters/scope";
import { sinceInSeason } from "../inviters/season-window";
import { listSeasons } from "../inviters/seasons";
import { topInviters } from "../inviters/store";
import { chartSeries, TOP_INVITERS, type BriefingFigures } from "./compose";
import { briefingWindows } from "./schedule";
import type { Messages } from "../i18n/messages";

const CHART_DAYS = 28;
const DAY_MS = 86_400_000;

/**
 * Everything the briefing shows, read from Postgres for the week ending at `now`;
 * `health` is the guild's health lines (worker/health/gather.ts), of which the ones needing an admin are shown:
 * a promise, gathered while the figures are read rather than before them.
 */
export async function loadBriefingFigures(
  db: Db,
  env: Pick<Env, "DISCORD_APPLICATION_ID">,
  guildId: string,
  now: Date,
  week: string,
  health: Promise<HealthLine[]>,
  m: Messages,
): Promise<BriefingFigures> {
  const w = briefingWindows(now.getTime());
  const iso = (ms: number) => new Date(ms).toISOString();
  const [inviters, healthLines, thisWeek, lastWeek, retention, invitations, daily] = await Promise.all([
    // The week's inviters as the leaderboard counts them (the bot's own invites count for nobody), from the season's start
    // if it began this week. First, its season and settings read side by side: the longest query, the pool starts it soonest.
    Promise.all([listSeasons(db, guildId), countScope(db, env, guildId, { since: new Date(w.thisWeek.from) }, now)]).then(([seasons, scope]) =>
      topInviters(db, { ...scope, since: sinceInSeason(new Date(w.thisWeek.from), seasons) }, TOP_INVITERS),
    ),
    health,
    sourceTotals(db, guildId, new Date(w.thisWeek.from)),
    sourceTotals(db, guildId, new Date(w.lastWeek.from), new Date(w.lastWeek.to)),
    // From members alone (index-only): a member's row holds their latest join, so one who left
    // and rejoined since counts in the week of their return.
    db.execute<{ joiners: string; stayed: string }>(sql`
      select count(*)::bigint as joiners, count(*) filter (where left_at is null)::bigint as stayed
        from members
       where guild_id = ${guildId} and joined_at >= ${iso(w.lastWeek.from)}::timestamptz and joined_at < ${iso(w.lastWeek.to)}::timestamptz`),
    db.execute<{ minted: string; spent: string; minted_ever: string; spent_ever: string }>(sql`
      select count(*) filter (where created_at >= ${iso(w.thisWeek.from)}::timestamptz)::bigint as minted,
             count(*) filter (where spent_at >= ${iso(w.thisWeek.from)}::timestamptz)::bigint as spent,
             count(*)::bigint as minted_ever, count(spent_at)::bigint as spent_ever
        from invitations where guild_id = ${guildId}`),
    dailySourceRows(db, guildId, new Date(w.chart.from + DAY_MS).toISOString().slice(0, 10)),
  ]);
  const names = new Map([...lastWeek.names, ...thisWeek.names]);
  const joinsOf = (report: SourceTotalsReport) => new Map(report.totals.sources.map((s) => [s.sourceId, s.joins]));
  const [thisBySource, lastWeekBySource] = [joinsOf(thisWeek), joinsOf(lastWeek)];
  const sources = [...names]
    .map(([id, { name }]) => ({ name, joins: thisBySource.get(id) ?? 0, lastWeek: lastWeekBySource.get(id) ?? 0 }))
    .sort((a, b) => b.joins - a.joins || b.lastWeek - a.lastWeek || a.name.localeCompare(b.name));
  const inv = invitations.rows[0];
  return {
    now: now.getTime(),
    week,
    sources,
    unattributed: totalsUnattributed(thisWeek.totals, thisWeek.vanityCode),
    lastWeekUnattributed: unattributedTotal(totalsUnattributed(lastWeek.totals, lastWeek.vanityCode)),
    retention: { joiners: Number(retention.rows[0]?.joiners ?? 0), stillMembers: Number(retention.rows[0]?.stayed ?? 0) },
    topInviters: inviters.map((r) => ({ userId: r.userId, invites: totalInvites(r) })).filter((r) => r.invites > 0),
    invitations:
      inv && Number(inv.minted_ever) > 0
        ? { minted: Number(inv.minted), spent: Number(inv.spent), mintedEver: Number(inv.minted_ever), spentEver: Number(inv.spent_ever) }
        : null,
    warnings: healthLines.filter((l) => l.level !== "ok"),
    chart: chartSeries(windowDays(now, CHART_DAYS), daily, m),
  };
}
