import { sql, TransactionRollbackError, type SQL } from "drizzle-orm";
import type { Db, Queryable } from "../db";

/**
 * Every column that names a Discord user, and what forgetting them does to its
 * rows. One list for `/invite forget`, `npm run privacy -- export|erase`, the
 * name retention job and PRIVACY.md's test: a column added without being listed
 * here fails that test.
 */
export const USER_COLUMNS = [
  // Their joins: where they came from. Deleted; the rollups keep them as anonymous counts.
  { table: "invite_joins", column: "user_id", forget: "delete" },
  { table: "exact_checks", column: "user_id", forget: "delete" },
  // Their membership (ids and times, no name): kept by /invite forget so the member sync
  // does not record the same join again; deleted by the operator's erase.
  { table: "members", column: "user_id", forget: "membership" },
  // Invitations they gave or spent keep their status, without them.
  { table: "invitations", column: "inviter_id", forget: "clear" },
  { table: "invitations", column: "invited_id", forget: "clear" },
  { table: "invites", column: "inviter_id", forget: "clear" },
  // Joins credited to them because every candidate code was theirs: the joins stay, uncredited.
  { table: "invite_joins", column: "candidates_inviter_id", forget: "clear" },
  // "Join with Discord" holding an invitation while the bot adds them: a claim is only a lock.
  { table: "invitation_claims", column: "user_id", forget: "delete" },
  { table: "inviter_bonuses", column: "user_id", forget: "delete" },
  { table: "inviter_bonuses", column: "created_by", forget: "clear" },
  // Kept off leaderboards: a forgotten member counts for nobody anyway.
  { table: "inviter_exclusions", column: "user_id", forget: "delete" },
  // A cache, recomputed within minutes: the guild's whole ranking is dropped.
  { table: "leaderboard_ranks", column: "user_id", forget: "ranking" },
  { table: "waves", column: "created_by", forget: "clear" },
  { table: "guild_settings", column: "updated_by", forget: "clear" },
] as const satisfies ReadonlyArray<{ table: string; column: string; forget: "delete" | "membership" | "clear" | "ranking" }>;

/**
 * Names (and avatars) kept beside a user id: dropped when the member is forgotten
 * and once they have been gone longer than the retention period (their row stays).
 */
export const PERSONAL_NAMES = [
  { table: "invitations", column: "inviter_name", user: "inviter_id" },
  { table: "members", column: "username", user: "user_id" },
  { table: "members", column: "global_name", user: "user_id" },
  { table: "members", column: "nick", user: "user_id" },
  { table: "members", column: "avatar", user: "user_id" },
  { table: "members", column: "discriminator", user: "user_id" },
] as const satisfies ReadonlyArray<{
  table: string;
  column: string;
  user: string;
}>;

/** One user, in one server or (null) in every server. */
export interface UserScope {
  userId: string;
  guildId: string | null;
}

/** `/invite forget` keeps the membership row; the operator's erase keeps nothing. */
export type ForgetMode = "forget" | "erase";

export type UserData = Record<string, Array<Record<string, unknown>>>;

const inScope = (scope: UserScope, column: string) =>
  sql`${sql.identifier(column)} = ${scope.userId}${scope.guildId === null ? sql`` : sql` and guild_id = ${scope.guildId}`}`;

/** Every row that names the user, by "table.column"; rows of a table named by two columns appear under each. */
export async function exportUserData(db: Queryable, scope: UserScope): Promise<UserData> {
  const data: UserData = {};
  for (const { table, column } of USER_COLUMNS) {
    const rows = await db.execute<Record<string, unknown>>(sql`select * from ${sql.identifier(table)} where ${inScope(scope, column)}`);
    data[`${table}.${column}`] = rows.rows;
  }
  return data;
}

/** What an erase did (or, dry, would do), by "table.column": rows deleted or rows whose user was removed. */
export type Erased = Record<string, number>;

/**
 * Erases the user from every table, in one transaction; a dry run rolls it back
 * and reports the same counts. Joins go without taking their counts out of the
 * rollups, and the join log's claims on them go with them.
 */
export async function eraseUserData(db: Db, scope: UserScope, mode: ForgetMode, options: { dryRun?: boolean; now?: Date } = {}): Promise<Erased> {
  const now = options.now ?? new Date();
  const erased: Erased = {};
  const work = async (tx: Queryable) => {
    await tx.execute(sql`select set_config('invite_bot.keep_rollups', 'on', true)`);
    const posts = await tx.execute(sql`delete from join_log_posts where join_id in (select id from invite_joins where ${inScope(scope, "user_id")})`);
    erased["join_log_posts.join_id"] = posts.rowCount ?? 0;
    for (const { table, column, forget } of USER_COLUMNS) {
      erased[`${table}.${column}`] = await eraseColumn(tx, scope, table, column, forget === "membership" && mode === "erase" ? "delete" : forget, now);
    }
  };
  await db
    .transaction(async (tx) => {
      await work(tx);
      if (options.dryRun) tx.rollback();
    })
    .catch((error: unknown) => {
      // drizzle's rollback() throws to unwind: a dry run's expected end.
      if (!(options.dryRun && error instanceof TransactionRollbackError)) throw error;
    });
  return erased;
}

async function eraseColumn(tx: Queryable, scope: UserScope, table: string, column: string, forget: "delete" | "membership" | "clear" | "ranking", now: Date): Promise<number> {
  const where = inScope(scope, column);
  const names = PERSONAL_NAMES.filter((n) => n.table === table && n.user === column).map((n) => sql`, ${sql.identifier(n.column)} = null`);
  let statement: SQL;
  switch (forget) {
    case "delete":
      statement = sql`delete from ${sql.identifier(table)} where ${where}`;
      break;
    case "clear":
      statement = sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = null${sql.join(names, sql``)} where ${where}`;
      break;
    case "membership":
      statement = sql`update ${sql.identifier(table)} set forgotten_at = ${now.toISOString()}::timestamptz${sql.join(names, sql``)} where ${where}`;
      break;
    case "ranking": {
      // The ranking of each server they are in is recomputed from the joins on its next read, without them.
      const result = await tx.execute<{ n: number }>(sql`
        with mine as (select distinct guild_id from leaderboard_ranks where ${where}),
        snapshots as (delete from leaderboard_snapshots where guild_id in (select guild_id from mine)),
        ranks as (delete from leaderboard_ranks where guild_id in (select guild_id from mine))
        select count(*)::int as n from leaderboard_ranks where ${where}`);
      return result.rows[0]?.n ?? 0;
    }
  }
  return (await tx.execute(statement)).rowCount ?? 0;
}
