import { sql } from "drizzle-orm";
import type { Db } from "../worker/db";

/**
 * Guilds the bot has recorded anything for. The relay reports each guild on
 * connect (GUILD_CREATE), but a missed INVITE_CREATE or a long relay outage
 * leaves a cache stale until the next join; reconciling refetches it anyway.
 */
export async function knownGuilds(db: Db): Promise<string[]> {
  const result = await db.execute<{ guild_id: string }>(sql`
    select guild_id from invites where deleted_at is null
    union select guild_id from invite_sources where retired_at is null
    union select guild_id from members where left_at is null`);
  return result.rows.map((r) => r.guild_id);
}

/** Asks each guild's Durable Object to refetch its invites and flush its outbox. */
export async function reconcileGuilds(env: Env, guildIds: string[]): Promise<{ reconciled: number; failed: number }> {
  const outcomes = await Promise.allSettled(
    guildIds.map((guildId) => env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId)).reconcile(guildId)),
  );
  const failed = outcomes.filter((o) => o.status === "rejected").length;
  return { reconciled: outcomes.length - failed, failed };
}
