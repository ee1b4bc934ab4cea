import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { invites } from "../schema";
import { discordInvites } from "../worker/discord/invites";
import { DiscordRest, type DiscordFailure } from "../worker/discord/rest";
import type { Db } from "../worker/db";
import { logInfo } from "../worker/log";
import { knownGuilds } from "../worker/store/known-guilds";
import { heartbeatDue } from "./heartbeat";
import { driftCount, inviteDrift } from "./invite-drift";
import { afterDiscordFailure, done, type GuildJob } from "./job-run";

/**
 * Every 5 minutes, per guild: the invites table is compared with Discord's list.
 * What differs (an invite the relay never announced, one deleted unseen, uses
 * that moved without a join event) is counted, logged and repaired, and the
 * Durable Object refetches (its cache is then Discord's again). Where nothing
 * differs the object does not refetch: its cache is what the table mirrors, and
 * a second fetch per guild and period would double the bot's share of Discord's
 * global rate limit for nothing. It is still woken once an hour (its heartbeat
 * slot), to judge what it holds and flush its outbox should its alarm be lost.
 */
export const reconcileJob: GuildJob = {
  name: "reconcile",
  guilds: (_env, db) => knownGuilds(db),
  async run(env, db, guildId, now) {
    const rest = DiscordRest.fromEnv(env);
    const listed = await discordInvites.list(rest, guildId);
    if (!listed.ok) {
      const missingAccess = isMissingAccess(listed.error);
      if (missingAccess && (await missingAccessBefore(db, guildId)) >= MISSING_ACCESS_LIMIT - 1) {
        logInfo("reconcile: Discord answered Missing Access three times in a row; the server is marked as left", { guild: guildId, discord: listed.error });
        await env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId)).depart(guildId);
      }
      return afterDiscordFailure(listed.error, {
        drift: 0,
        rateLimited: rest.rateLimitHits,
        discord: listed.error.kind === "discord" ? listed.error.status : listed.error.reason,
        missingAccess,
      });
    }
    const known = await db.execute<{ code: string; uses: number; expires_at: string | null }>(sql`
      select code, uses, expires_at from invites where guild_id = ${guildId} and deleted_at is null`);
    const drift = inviteDrift(
      known.rows.map((r) => ({ code: r.code, uses: r.uses, expiresAt: r.expires_at === null ? null : Date.parse(r.expires_at) })),
      listed.value.map((i) => ({ code: i.code, uses: i.uses })),
      now.getTime(),
    );
    const byCode = new Map(listed.value.map((i) => [i.code, i]));
    for (const code of [...drift.missing, ...drift.uses]) {
      const invite = byCode.get(code)!;
      await db.execute(sql`
        insert into invites (code, guild_id, channel_id, inviter_id, uses, max_uses, max_age, expires_at, created_at)
        values (${code}, ${guildId}, ${invite.channel?.id ?? null}, ${invite.inviter?.id ?? null}, ${invite.uses}, ${invite.max_uses}, ${invite.max_age},
                ${invite.expires_at ?? null}::timestamptz, ${invite.created_at}::timestamptz)
        on conflict (code) do update set uses = greatest(invites.uses, excluded.uses), deleted_at = null
         where invites.guild_id = excluded.guild_id`);
    }
    const gone = [...drift.vanished, ...drift.expired];
    if (gone.length > 0) {
      await db
        .update(invites)
        .set({ deletedAt: now })
        .where(and(eq(invites.guildId, guildId), isNull(invites.deletedAt), inArray(invites.code, gone)));
    }
    const count = driftCount(drift);
    if (count > 0) logInfo("reconcile: drift between the invites table and Discord repaired", { guild: guildId, ...drift });
    const heartbeat = heartbeatDue(guildId, now.getTime());
    // After the comparison, so what the object's refetch writes is not mistaken for agreement.
    if (count > 0 || heartbeat) await env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId)).reconcile(guildId, count > 0);
    return done({ heartbeat, drift: count, missing: drift.missing.length, uses: drift.uses.length, vanished: drift.vanished.length, expired: drift.expired.length, rateLimited: rest.rateLimitHits });
  },
};

/** Reconcile runs in a row that met Missing Access before the bot counts as gone (a GUILD_DELETE may have been lost). */
export const MISSING_ACCESS_LIMIT = 3;

/** 404 (Unknown Guild) or 403 Missing Access (50001): the bot is not in the server. A missing permission (50013) is not that. */
export const isMissingAccess = (error: DiscordFailure) => error.kind === "discord" && (error.status === 404 || (error.status === 403 && error.code === 50001));

/** How many of the guild's latest reconcile runs, in a row, met Missing Access (at most the limit's worth). */
async function missingAccessBefore(db: Db, guildId: string): Promise<number> {
  const runs = await db.execute<{ missing: boolean }>(sql`
    select coalesce((figures->>'missingAccess')::boolean, false) as missing from job_runs
     where guild_id = ${guildId} and job = 'reconcile' order by ran_at desc limit ${MISSING_ACCESS_LIMIT - 1}`);
  const streak = runs.rows.findIndex((r) => !r.missing);
  return streak === -1 ? runs.rows.length : streak;
}
