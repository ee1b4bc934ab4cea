import { sql } from "drizzle-orm";
import { DiscordRest } from "../worker/discord/rest";
import { ANNOUNCE_DUE, announceSpentInvitations } from "../worker/invitations/announce";
import { notifyDue, notifyInvitations } from "../worker/invitations/notify";
import { runDueWave, waveDue } from "../worker/invitations/scheduled-waves";
import { done, IDLE, type GuildJob } from "./job-run";

/** Each cron run, per guild with invitation work: mint its wave if due, send new invitations' DMs, announce spent ones. */
export const invitationJob: GuildJob = {
  name: "invitations",
  async guilds(_env, db, now) {
    const result = await db.execute<{ guild_id: string }>(sql`
      select guild_id from invitation_settings where ${waveDue(now)}
      union select guild_id from invitations where ${notifyDue(now)}
      union select guild_id from invitations where ${ANNOUNCE_DUE}`);
    return result.rows.map((r) => r.guild_id);
  },
  async run(env, db, guildId, now) {
    const wave = await runDueWave(db, guildId, now);
    const rest = DiscordRest.fromEnv(env);
    const notified = await notifyInvitations(db, rest, env.PUBLIC_URL, now, { guildId });
    const announced = await announceSpentInvitations(db, rest, { guildId });
    if (wave === null && notified.sent + notified.closed + notified.failed + announced.announced === 0 && !notified.stopped) return IDLE;
    // A stopped run (Discord rate-limited the DMs) is not retried: the next run, minutes away, goes on.
    return done({ waves: wave ? 1 : 0, minted: wave?.recipients.length ?? 0, ...notified, ...announced, rateLimited: rest.rateLimitHits });
  },
};
