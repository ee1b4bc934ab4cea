import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { StackedSeries } from "../charts/svg";
import { countScope } from "../inviters/scope";
import { rankingPage } from "../inviters/ranking";
import type { LeaderboardPage } from "../inviters/store";

export const DASHBOARD_DAYS = 30;
/** Sources drawn on their own; the rest are one "Other" series. */
const CHART_SOURCES = 6;
const DAY_MS = 86_400_000;

export interface SourceRow {
  name: string | null;
  joins: number;
  stayed: number;
}

export interface DashboardData {
  days: string[];
  series: StackedSeries[];
  sources: SourceRow[];
  leaders: LeaderboardPage;
  /** Null until the guild has minted invitations. */
  funnel: { minted: number; notified: number; spent: number } | null;
}

/** Everything the dashboard shows for the last 30 days (the leaderboard is all time). */
export async function dashboardData(db: Db, env: Pick<Env, "DISCORD_APPLICATION_ID" | "DATABASE_URL" | "DATABASE_WS_PROXY">, guildId: string, now: Date): Promise<DashboardData> {
  const since = new Date(now.getTime() - (DASHBOARD_DAYS - 1) * DAY_MS);
  const firstDay = since.toISOString().slice(0, 10);
  const [daily, sources, funnel, leaders] = await Promise.all([
    db.execute<{ day: string; name: string | null; joins: number }>(sql`
      select c.day::text as day, s.name, sum(c.joins)::int as joins
        from join_daily_counts c left join invite_sources s on s.id = c.source_id
       where c.guild_id = ${guildId} and c.day >= ${firstDay}::date
       group by c.day, s.name`),
    db.execute<{ name: string | null; joins: number; stayed: number }>(sql`
      select s.name, count(*)::int as joins, count(*) filter (where m.left_at is null)::int as stayed
        from invite_joins j
        left join invite_sources s on s.id = j.source_id
        left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id
       where j.guild_id = ${guildId} and j.joined_at >= ${`${firstDay}T00:00:00Z`}::timestamptz
       group by s.name order by joins desc, s.name limit 25`),
    db.execute<{ minted: number; notified: number; spent: number }>(sql`
      select count(*)::int as minted, count(notified_at)::int as notified, count(spent_at)::int as spent
        from invitations where guild_id = ${guildId}`),
    countScope(db, env, guildId, null).then((scope) => rankingPage(db, env, scope, null, 0, 10, now)),
  ]);
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, i) => new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10));
  const bySource = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (const row of daily.rows) {
    const name = row.name ?? "Unattributed";
    const values = bySource.get(name) ?? days.map(() => 0);
    const index = days.indexOf(row.day);
    if (index >= 0) values[index]! += row.joins;
    bySource.set(name, values);
    totals.set(name, (totals.get(name) ?? 0) + row.joins);
  }
  const ranked = [...bySource.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
  const series: StackedSeries[] = ranked.slice(0, CHART_SOURCES).map((name) => ({ name, values: bySource.get(name)! }));
  const rest = ranked.slice(CHART_SOURCES);
  if (rest.length > 0) series.push({ name: "Other", values: days.map((_, i) => rest.reduce((sum, name) => sum + bySource.get(name)![i]!, 0)) });
  const f = funnel.rows[0]!;
  return {
    days,
    series,
    sources: sources.rows,
    leaders,
    funnel: f.minted > 0 ? f : null,
  };
}
