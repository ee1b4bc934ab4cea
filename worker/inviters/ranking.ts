import { and, between, eq, sql } from "drizzle-orm";
import { leaderboardRanks, leaderboardSnapshots } from "../../schema";
import { openDb, type Db, type Queryable } from "../db";
import { rankedCounts, type CountScope, type LeaderboardPage } from "./store";

/** How old a ranking may be before a read recomputes it. */
export const RANKING_MAX_AGE_MS = 5 * 60_000;
/** Ranking a million joins takes seconds: more than an ordinary statement may. */
const RANKING_STATEMENT_MS = 30_000;

export interface RankedPage extends LeaderboardPage {
  computedAt: Date;
}

/**
 * A page of the guild's ranking for a window (`key`: see `countWindow`), from
 * the stored snapshot when it is fresh and was made under today's rules, else
 * recomputed first (on its own connection, with a longer statement timeout).
 */
export async function rankingPage(
  db: Db,
  env: { DATABASE_URL: string; DATABASE_WS_PROXY?: string },
  scope: CountScope,
  key: number,
  offset: number,
  limit: number,
): Promise<RankedPage> {
  const [snapshot] = await db
    .select()
    .from(leaderboardSnapshots)
    .where(and(eq(leaderboardSnapshots.guildId, scope.guildId), eq(leaderboardSnapshots.windowDays, key)));
  let header = snapshot;
  if (!header || header.fakeAccountAgeDays !== scope.policy.fakeAccountAgeDays || scope.now.getTime() - header.computedAt.getTime() > RANKING_MAX_AGE_MS) {
    const long = openDb(env, { statementMs: RANKING_STATEMENT_MS });
    try {
      header = await long.db.transaction((tx) => storeRanking(tx, scope, key));
    } finally {
      await long.close();
    }
  }
  const rows = await db
    .select()
    .from(leaderboardRanks)
    .where(and(eq(leaderboardRanks.guildId, scope.guildId), eq(leaderboardRanks.windowDays, key), between(leaderboardRanks.rank, offset + 1, offset + limit)))
    .orderBy(leaderboardRanks.rank);
  return {
    rows: rows.map((r) => ({ userId: r.userId, regular: r.regular, left: r.leftCount, fake: r.fake, bonus: r.bonus, pending: r.pending })),
    inviters: header.inviters,
    computedAt: header.computedAt,
  };
}

async function storeRanking(tx: Queryable, scope: CountScope, key: number) {
  const now = scope.now;
  // Serialises two recomputations of one ranking; the second finds nothing to change.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('leaderboard:' || ${scope.guildId}), ${key})`);
  await tx.delete(leaderboardRanks).where(and(eq(leaderboardRanks.guildId, scope.guildId), eq(leaderboardRanks.windowDays, key)));
  const inserted = await tx.execute(sql`
    insert into leaderboard_ranks (guild_id, window_days, rank, user_id, regular, left_count, fake, bonus, pending)
    select ${scope.guildId}, ${key}, rank, user_id, regular, left_count, fake, bonus, pending from (${rankedCounts(scope)}) ranked`);
  const [header] = await tx
    .insert(leaderboardSnapshots)
    .values({ guildId: scope.guildId, windowDays: key, fakeAccountAgeDays: scope.policy.fakeAccountAgeDays, computedAt: now, inviters: inserted.rowCount ?? 0 })
    .onConflictDoUpdate({
      target: [leaderboardSnapshots.guildId, leaderboardSnapshots.windowDays],
      set: { fakeAccountAgeDays: scope.policy.fakeAccountAgeDays, computedAt: now, inviters: inserted.rowCount ?? 0 },
    })
    .returning();
  return header!;
}

/** After a bonus, an exclusion, a new season or a new stay period: the guild's rankings are recomputed at their next read. */
export async function dropRankings(db: Queryable, guildId: string) {
  await db.delete(leaderboardSnapshots).where(eq(leaderboardSnapshots.guildId, guildId));
}
