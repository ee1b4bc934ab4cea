import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import type { SearchTry } from "../health/report";
import { windowCounts } from "./window-counts";

const DAY_MS = 86_400_000;
const SEARCH_ANSWERS = ["answered", "refused", "unavailable"] as const;

/** What the cron jobs and exact checks left in Postgres about one guild: the last day of job runs, 7 days of joins and checks. */
export async function postgresHealthFigures(db: Queryable, guildId: string, now: Date) {
  const day = new Date(now.getTime() - DAY_MS).toISOString();
  const week = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const [runs, search, checks, joins, exact] = await Promise.all([
    db.execute<{ rate_limited: string | null; edge_refused: string | null; drift: string | null; reconciled_at: string | null; failed: string; dead: string; jobs: string[] | null }>(sql`
      select sum(coalesce((figures->>'rateLimited')::int, 0))::bigint as rate_limited,
             sum(coalesce((figures->>'edgeRefused')::int, 0))::bigint as edge_refused,
             sum(coalesce((figures->>'drift')::int, 0)) filter (where job = 'reconcile')::bigint as drift,
             max(ran_at) filter (where job = 'reconcile' and outcome = 'ok') as reconciled_at,
             count(*) filter (where outcome = 'failed')::bigint as failed,
             count(*) filter (where outcome = 'dead_lettered')::bigint as dead,
             array_agg(distinct job) filter (where outcome <> 'ok') as jobs
        from job_runs where guild_id = ${guildId} and ran_at >= ${day}::timestamptz`),
    db.execute<{ search: string | null; ran_at: string }>(sql`
      select figures->>'search' as search, ran_at from job_runs
       where guild_id = ${guildId} and job = 'confirm' and figures ? 'search' order by ran_at desc limit 1`),
    db.execute<{ agreed: string; disagreed: string }>(sql`
      select count(*) filter (where outcome = 'agreed')::bigint as agreed, count(*) filter (where outcome = 'disagreed')::bigint as disagreed
        from exact_checks where guild_id = ${guildId} and checked_at >= ${week}::timestamptz`),
    db.execute<{ joins: string }>(sql`select coalesce(sum(joins), 0)::bigint as joins from (${windowCounts(guildId, new Date(week))}) c`),
    // Verdicts member search gave, the object's own lookups' and the hourly confirmation's alike.
    db.execute<{ exact: string }>(sql`
      select count(*)::bigint as exact from invite_joins
       where guild_id = ${guildId} and joined_at >= ${week}::timestamptz and method = 'exact'`),
  ]);
  const lastRun = search.rows[0];
  const answer = SEARCH_ANSWERS.find((a) => a === lastRun?.search);
  const run = runs.rows[0];
  return {
    rateLimitHits: Number(run?.rate_limited ?? 0),
    /** The cron's runs that met Discord's edge refusing the bot. */
    edgeRefusals: Number(run?.edge_refused ?? 0),
    driftRepaired: Number(run?.drift ?? 0),
    reconciledAt: run?.reconciled_at ? Date.parse(run.reconciled_at) : null,
    cronRuns: { failed: Number(run?.failed ?? 0), deadLettered: Number(run?.dead ?? 0), jobs: run?.jobs ?? [] },
    /** The hourly confirmation's last member search. */
    lastSearch: lastRun && answer ? ({ answer, at: Date.parse(lastRun.ran_at) } satisfies SearchTry) : null,
    exact: Number(exact.rows[0]?.exact ?? 0),
    agreed: Number(checks.rows[0]?.agreed ?? 0),
    disagreed: Number(checks.rows[0]?.disagreed ?? 0),
    joins: Number(joins.rows[0]?.joins ?? 0),
    weekStart: new Date(week),
  };
}
