import { desc, eq, sql } from "drizzle-orm";
import { seasons } from "../../schema";
import type { Queryable } from "../db";
import type { SeasonStart } from "./season-window";

/** The guild's seasons, oldest first. */
export async function listSeasons(db: Queryable, guildId: string): Promise<SeasonStart[]> {
  return db.select({ number: seasons.number, name: seasons.name, startedAt: seasons.startedAt }).from(seasons).where(eq(seasons.guildId, guildId)).orderBy(seasons.number);
}

/** The latest seasons first, for autocomplete. */
export async function recentSeasons(db: Queryable, guildId: string, limit: number): Promise<SeasonStart[]> {
  return db
    .select({ number: seasons.number, name: seasons.name, startedAt: seasons.startedAt })
    .from(seasons)
    .where(eq(seasons.guildId, guildId))
    .orderBy(desc(seasons.number))
    .limit(limit);
}

/** Starts the next season now; two starts at once get consecutive numbers (the primary key refuses a tie, and the statement retries nothing). */
export async function startSeason(db: Queryable, guildId: string, name: string, now: Date): Promise<SeasonStart> {
  const result = await db.execute<{ number: number; name: string; started_at: string }>(sql`
    insert into seasons (guild_id, number, name, started_at)
    select ${guildId}, coalesce(max(number), 0) + 1, ${name}, ${now.toISOString()}::timestamptz from seasons where guild_id = ${guildId}
    returning number, name, started_at`);
  const row = result.rows[0]!;
  return { number: row.number, name: row.name, startedAt: new Date(row.started_at) };
}
