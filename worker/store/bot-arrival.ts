import { sql } from "drizzle-orm";
import type { Queryable } from "../db";

/** When the bot joined the guild, if recorded. */
export async function botArrival(db: Queryable, guildId: string): Promise<Date | null> {
  const result = await db.execute<{ joined_at: string }>(sql`select joined_at from bot_arrivals where guild_id = ${guildId}`);
  const row = result.rows[0];
  return row ? new Date(row.joined_at) : null;
}

/**
 * Records when the bot joined the guild (a later return moves it on, an older
 * report never back). The first record also takes back the "missed" joins a
 * member sync wrote before the arrival was known for members who were there
 * before the bot: nobody missed those, and reports would count them as gaps.
 */
export async function recordBotArrival(db: Queryable, guildId: string, joinedAt: Date): Promise<void> {
  const at = joinedAt.toISOString();
  await db.execute(sql`
    with first as (
      insert into bot_arrivals (guild_id, joined_at) values (${guildId}, ${at}::timestamptz)
      on conflict (guild_id) do update set joined_at = greatest(bot_arrivals.joined_at, excluded.joined_at)
      returning (xmax = 0) as inserted
    )
    delete from invite_joins
     where guild_id = ${guildId} and reason = 'missed' and joined_at < ${at}::timestamptz
       and (select inserted from first)`);
}
