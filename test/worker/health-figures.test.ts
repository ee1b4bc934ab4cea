import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { exactChecks, inviteJoins, jobRuns } from "../../schema";
import type { Db } from "../../worker/db";
import { postgresHealthFigures } from "../../worker/store/health-figures";
import { windowCounts } from "../../worker/store/window-counts";
import { withDb } from "./support/db";

const DAY = 86_400_000;
const now = new Date("2026-11-20T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

/** The figures as the five separate queries read them before they became one statement: the reference. */
async function previousDefinition(db: Db, guildId: string) {
  const day = ago(DAY).toISOString();
  const week = ago(7 * DAY).toISOString();
  const [runs, search, checks, joins, exact] = await Promise.all([
    db.execute(sql`
      select sum(coalesce((figures->>'rateLimited')::int, 0))::bigint as rate_limited,
             sum(coalesce((figures->>'edgeRefused')::int, 0))::bigint as edge_refused,
             sum(coalesce((figures->>'drift')::int, 0)) filter (where job = 'reconcile')::bigint as drift,
             max(ran_at) filter (where job = 'reconcile' and outcome = 'ok') as reconciled_at,
             count(*) filter (where outcome = 'failed')::bigint as failed,
             count(*) filter (where outcome = 'dead_lettered')::bigint as dead,
             array_agg(distinct job) filter (where outcome <> 'ok') as jobs
        from job_runs where guild_id = ${guildId} and ran_at >= ${day}::timestamptz`),
    db.execute(sql`
      select figures->>'search' as search, ran_at from job_runs
       where guild_id = ${guildId} and job = 'confirm' and figures ? 'search' order by ran_at desc limit 1`),
    db.execute(sql`
      select count(*) filter (where outcome = 'agreed')::bigint as agreed, count(*) filter (where outcome = 'disagreed')::bigint as disagreed
        from exact_checks where guild_id = ${guildId} and checked_at >= ${week}::timestamptz`),
    db.execute(sql`select coalesce(sum(joins), 0)::bigint as joins from (${windowCounts(guildId, new Date(week))}) c`),
    db.execute(sql`select count(*)::bigint as exact from invite_joins where guild_id = ${guildId} and joined_at >= ${week}::timestamptz and method = 'exact'`),
  ]);
  return { runs: runs.rows[0], search: search.rows[0] ?? null, checks: checks.rows[0], joins: joins.rows[0], exact: exact.rows[0] };
}

/** The reference's rows as postgresHealthFigures reports them. */
function asReported(p: Awaited<ReturnType<typeof previousDefinition>>) {
  const r = p.runs as Record<string, string | string[] | null>;
  const search = p.search as { search: string; ran_at: string } | null;
  return {
    rateLimitHits: Number(r.rate_limited ?? 0),
    edgeRefusals: Number(r.edge_refused ?? 0),
    driftRepaired: Number(r.drift ?? 0),
    reconciledAt: r.reconciled_at ? Date.parse(r.reconciled_at as string) : null,
    cronRuns: { failed: Number(r.failed), deadLettered: Number(r.dead), jobs: r.jobs ?? [] },
    lastSearch: search && ["answered", "refused", "unavailable"].includes(search.search) ? { answer: search.search, at: Date.parse(search.ran_at) } : null,
    exact: Number((p.exact as { exact: string }).exact),
    agreed: Number((p.checks as { agreed: string }).agreed),
    disagreed: Number((p.checks as { disagreed: string }).disagreed),
    joins: Number((p.joins as { joins: string }).joins),
    weekStart: ago(7 * DAY),
  };
}

describe("postgresHealthFigures", () => {
  it("reads in one statement what its five queries read: job runs, the last search, checks, joins, exact verdicts; and an empty guild", async () => {
    const guild = "860000000000000001";
    await withDb(async (db) => {
      await db.insert(jobRuns).values([
        { guildId: guild, job: "reconcile", outcome: "ok", figures: { drift: 2, rateLimited: 1, edgeRefused: 1 }, ranAt: ago(3_600_000) },
        { guildId: guild, job: "reconcile", outcome: "failed", figures: { drift: 5 }, ranAt: ago(7_200_000) },
        { guildId: guild, job: "member_sync", outcome: "dead_lettered", figures: { rateLimited: 3 }, ranAt: ago(600_000) },
        { guildId: guild, job: "reconcile", outcome: "ok", figures: { drift: 7, rateLimited: 9 }, ranAt: ago(2 * DAY) },
        { guildId: guild, job: "confirm", outcome: "ok", figures: { search: "refused" }, ranAt: ago(3 * DAY) },
        { guildId: guild, job: "confirm", outcome: "ok", figures: { rateLimited: 1 }, ranAt: ago(60_000) },
      ]);
      await db.insert(exactChecks).values([
        { guildId: guild, userId: "861", joinedAt: ago(DAY), outcome: "agreed", checkedAt: ago(DAY) },
        { guildId: guild, userId: "862", joinedAt: ago(DAY), outcome: "disagreed", checkedAt: ago(2 * DAY) },
        { guildId: guild, userId: "863", joinedAt: ago(9 * DAY), outcome: "agreed", checkedAt: ago(9 * DAY) },
      ]);
      await db.insert(inviteJoins).values([
        { guildId: guild, userId: "864", joinedAt: ago(DAY), method: "exact" },
        { guildId: guild, userId: "865", joinedAt: ago(2 * DAY), method: "diff" },
        { guildId: guild, userId: "866", joinedAt: ago(8 * DAY), method: "exact" },
      ]);
      for (const id of [guild, "860000000000000002"]) {
        const figures = await postgresHealthFigures(db, id, now);
        expect(figures).toEqual(asReported(await previousDefinition(db, id)));
      }
      expect(await postgresHealthFigures(db, guild, now)).toMatchObject({
        rateLimitHits: 5,
        edgeRefusals: 1,
        driftRepaired: 7,
        cronRuns: { failed: 1, deadLettered: 1 },
        lastSearch: { answer: "refused", at: ago(3 * DAY).getTime() },
        exact: 1,
        agreed: 1,
        disagreed: 1,
        joins: 2,
      });
    });
  });
});
