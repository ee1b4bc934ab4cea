import { sql } from "drizzle-orm";
import type { Queryable } from "../db";

const KNOWN_GUILD_IDS = sql`
    select guild_id from invites where deleted_at is null
    union select guild_id from invite_sources where retired_at is null
    union select guild_id from members where left_at is null
    union select guild_id from guild_settings`;

/**
 * Guilds the bot has recorded anything for. The relay reports each guild on
 * connect (GUILD_CREATE), but a missed INVITE_CREATE or a long relay outage
 * leaves a cache stale until the next join; reconciling refetches it anyway.
 */
export async function knownGuilds(db: Queryable): Promise<string[]> {
  const result = await db.execute<{ guild_id: string }>(KNOWN_GUILD_IDS);
  return result.rows.map((r) => r.guild_id);
}

/** Whether `knownGuilds` holds this guild, asked of its rows only (Postgres pushes the condition into each branch). */
export async function isKnownGuild(db: Queryable, guildId: string): Promise<boolean> {
  const result = await db.execute<{ known: boolean }>(sql`select exists (select 1 from (${KNOWN_GUILD_IDS}) k where k.guild_id = ${guildId}) as known`);
  return result.rows[0]?.known === true;
}
