import { sql } from "drizzle-orm";
import type { Db } from "../worker/db";
import { logInfo } from "../worker/log";
import { purgeCutoff } from "../worker/privacy/periods";
import { purgeGuild } from "../worker/privacy/purge";
import { IDLE, type GuildJob } from "./job-run";

/** Servers the bot has left (removed, or Missing Access): the cron's other jobs skip them. */
export async function departedGuildIds(db: Db): Promise<Set<string>> {
  const result = await db.execute<{ guild_id: string }>(sql`select guild_id from departed_guilds`);
  return new Set(result.rows.map((r) => r.guild_id));
}

/** The guilds a job has work for this run: of the servers the bot has left, none, unless the job is for them. */
export async function selectGuilds(job: GuildJob, env: Env, db: Db, now: Date, departed: ReadonlySet<string>): Promise<string[]> {
  const guilds = await job.guilds(env, db, now);
  return job.forDepartedGuilds ? guilds : guilds.filter((g) => !departed.has(g));
}

/**
 * Daily: a server the bot left more than the grace period ago (GUILD_PURGE_GRACE_DAYS)
 * is purged, its object's storage first, then every row Postgres keeps about it.
 */
export const purgeJob: GuildJob = {
  name: "purge",
  forDepartedGuilds: true,
  async guilds(env, db, now) {
    const result = await db.execute<{ guild_id: string }>(sql`
      select guild_id from departed_guilds where left_at < ${purgeCutoff(env, now).toISOString()}::timestamptz`);
    return result.rows.map((r) => r.guild_id);
  },
  async run(env, db, guildId, now) {
    // Read again: the server may have come back since the scheduled run chose it.
    const still = await db.execute(sql`
      select 1 from departed_guilds where guild_id = ${guildId} and left_at < ${purgeCutoff(env, now).toISOString()}::timestamptz`);
    if (still.rows.length === 0) return IDLE;
    await env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId)).purge();
    const deleted = await purgeGuild(db, guildId);
    logInfo("purge: a server the bot left past its grace period is forgotten", { guild: guildId, deleted });
    // Not recorded in job_runs: that row would be the server's again.
    return IDLE;
  },
};
