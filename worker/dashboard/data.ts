import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { StackedSeries } from "../charts/svg";
import { totalsUnattributed, unattributedTotal } from "../format/unattributed";
import { dailySourceRows } from "../store/daily-sources";
import { sourceTotals } from "../store/source-totals";
import { currentSeasonScope } from "../inviters/leaderboard-scope";
import { memberProfiles } from "../members/names";
import { avatarUrl, displayName } from "../members/profile";
import { rankingPage } from "../inviters/ranking";
import type { LeaderboardPage } from "../inviters/store";
import type { CountWindow } from "../inviters/season-window";
import type { Messages } from "../i18n/messages";

export const DASHBOARD_DAYS = 30;
/** Sources drawn on their own; the rest are one "Other" series. */
const CHART_SOURCES = 6;
const DAY_MS = 86_400_000;

export interface SourceRow {
  /** Null: the joins without a source. */
  name: string | null;
  /** A source's counted uses; for the row without a source, its joins. */
  joins: number;
  /** Members named (retention is over them). */
  named: number;
  stayed: number;
}

export interface DashboardData {
  days: string[];
  series: StackedSeries[];
  sources: SourceRow[];
  /** The current season's top inviters ("all time" before the first season), each with the name and avatar last seen. */
  leaders: LeaderboardPage & { window: CountWindow; faces: Map<string, { name: string | null; avatarUrl: string }> };
  /** Null until the guild has minted invitations. */
  funnel: { minted: number; notified: number; spent: number } | null;
}

/** Everything the dashboard shows for the last 30 days (the leaderboard is the current season's). */
export async function dashboardData(db: Db, env: Pick<Env, "DISCORD_APPLICATION_ID" | "DATABASE_URL" | "DATABASE_WS_PROXY">, guildId: string, now: Date, m: Messages): Promise<DashboardData> {
  const since = new Date(now.getTime() - (DASHBOARD_DAYS - 1) * DAY_MS);
  const firstDay = since.toISOString().slice(0, 10);
  const [daily, totals, retention, funnel, leaders] = await Promise.all([
    dailySourceRows(db, guildId, firstDay),
    sourceTotals(db, guildId, new Date(`${firstDay}T00:00:00Z`)),
    db.execute<{ source_id: number | null; named: number; stayed: number }>(sql`
      select j.source_id, count(*)::int as named, count(*) filter (where m.left_at is null)::int as stayed
        from invite_joins j
        left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id
       where j.guild_id = ${guildId} and j.joined_at >= ${`${firstDay}T00:00:00Z`}::timestamptz
       group by j.source_id`),
    db.execute<{ minted: number; notified: number; spent: number }>(sql`
      select count(*)::int as minted, count(notified_at)::int as notified, count(spent_at)::int as spent
        from invitations where guild_id = ${guildId}`),
    currentSeasonScope(db, env, guildId, now).then(async ({ scope, window }) => {
      const page = await rankingPage(db, env, scope, window.key, 0, 10);
      const profiles = await memberProfiles(db, guildId, page.rows.map((r) => r.userId));
      const face = (userId: string) => {
        const p = profiles.get(userId);
        return { name: p ? displayName(p) : null, avatarUrl: avatarUrl(userId, p ?? { avatar: null, discriminator: null }) };
      };
      return { ...page, window, faces: new Map(page.rows.map((r) => [r.userId, face(r.userId)])) };
    }),
  ]);
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, i) => new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10));
  const bySource = new Map<string, number[]>();
  const chartTotals = new Map<string, number>();
  for (const row of daily) {
    const name = row.name ?? m.t("dashboard.unattributed");
    const values = bySource.get(name) ?? days.map(() => 0);
    const index = days.indexOf(row.day);
    if (index >= 0) values[index]! += row.joins;
    bySource.set(name, values);
    chartTotals.set(name, (chartTotals.get(name) ?? 0) + row.joins);
  }
  const ranked = [...bySource.keys()].sort((a, b) => chartTotals.get(b)! - chartTotals.get(a)!);
  const series: StackedSeries[] = ranked.slice(0, CHART_SOURCES).map((name) => ({ name, values: bySource.get(name)! }));
  const rest = ranked.slice(CHART_SOURCES);
  if (rest.length > 0) series.push({ name: "Other", values: days.map((_, i) => rest.reduce((sum, name) => sum + bySource.get(name)![i]!, 0)) });
  const f = funnel.rows[0]!;
  const named = new Map(retention.rows.map((r) => [r.source_id, r]));
  const row = (sourceId: number | null, name: string | null, joins: number): SourceRow => ({ name, joins, named: named.get(sourceId)?.named ?? 0, stayed: named.get(sourceId)?.stayed ?? 0 });
  const sources = [
    ...totals.totals.sources.map((s) => row(s.sourceId, totals.names.get(s.sourceId)?.name ?? `#${s.sourceId}`, s.joins)),
    row(null, null, unattributedTotal(totalsUnattributed(totals.totals, null))),
  ]
    .filter((r) => r.joins > 0)
    .sort((a, b) => b.joins - a.joins || (a.name ?? "").localeCompare(b.name ?? ""))
    .slice(0, 25);
  return {
    days,
    series,
    sources,
    leaders,
    funnel: f.minted > 0 ? f : null,
  };
}
