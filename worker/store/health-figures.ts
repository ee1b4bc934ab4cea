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
  // One statement, one round trip (and one connection from the pool): each part reads a few rows by index.
  const result = await db.execute<{
    rate_limited: string | null;
    edge_refused: string | null;
    drift: string | null;
    reconciled_at: string | null;
    failed: string;
    dead: string;
    jobs: string[] | null;
    search: string | null;
    search_at: string | null;
    agreed: string;
    disagreed: string;
    joins: string;
    exact: string;
  }>(sql`
    select runs.*, search.search, search.ran_at as search_at, checks.*, joins.*, exact.*
      from (select sum(coalesce((figures->>'rateLimited')::int, 0))::bigint as rate_limited,
                   sum(coalesce((figures->>'edgeRefused')::int, 0))::bigint as edge_refused,
                   sum(coalesce((figures->>'drift')::int, 0)) filter (where job = 'reconcile')::bigint as drift,
                   max(ran_at) filter (where job = 'reconcile' and outcome = 'ok') as reconciled_at,
                   count(*) filter (where outcome = 'failed')::bigint as failed,
                   count(*) filter (where outcome = 'dead_lettered')::bigint as dead,
                   array_agg(distinct job) filter (where outcome <> 'ok') as jobs
              from job_runs where guild_id = ${guildId} and ran_at >= ${day}::timestamptz) runs
      left join (select figures->>'search' as search, ran_at from job_runs
                  where guild_id = ${guildId} and job = 'confirm' and figures ? 'search' order by ran_at desc limit 1) search on true
      cross join (select count(*) filter (where outcome = 'agreed')::bigint as agreed, count(*) filter (where outcome = 'disagreed')::bigint as disagreed
                    from exact_checks where guild_id = ${guildId} and checked_at >= ${week}::timestamptz) checks
      cross join (select coalesce(sum(joins), 0)::bigint as joins from (${windowCounts(guildId, new Date(week))}) c) joins
      -- Verdicts member search gave, the object's own lookups' and the hourly confirmation's alike.
      cross join (select count(*)::bigint as exact from invite_joins
                   where guild_id = ${guildId} and joined_at >= ${week}::timestamptz and method = 'exact') exact`);
  const run = result.rows[0];
  const answer = SEARCH_ANSWERS.find((a) => a === run?.search);
  return {
    rateLimitHits: Number(run?.rate_limited ?? 0),
    /** The cron's runs that met Discord's edge refusing the bot. */
    edgeRefusals: Number(run?.edge_refused ?? 0),
    driftRepaired: Number(run?.drift ?? 0),
    reconciledAt: run?.reconciled_at ? Date.parse(run.reconciled_at) : null,
    cronRuns: { failed: Number(run?.failed ?? 0), deadLettered: Number(run?.dead ?? 0), jobs: run?.jobs ?? [] },
    /** The hourly confirmation's last member search. */
    lastSearch: run?.search_at && answer ? ({ answer, at: Date.parse(run.search_at) } satisfies SearchTry) : null,
    exact: Number(run?.exact ?? 0),
    agreed: Number(run?.agreed ?? 0),
    disagreed: Number(run?.disagreed ?? 0),
    joins: Number(run?.joins ?? 0),
    weekStart: new Date(week),
  };
}
