import type { Db } from "../worker/db";
import { DiscordRest } from "../worker/discord/rest";
import { announceSpentInvitations } from "../worker/invitations/announce";
import { notifyInvitations } from "../worker/invitations/notify";
import { runDueWaves } from "../worker/invitations/scheduled-waves";

/** The invitation jobs of each cron run: mint the waves that are due, send their DMs, announce spent invitations. */
export async function invitationJobs(env: Env, db: Db, now: Date) {
  const waves = await runDueWaves(db, now);
  const rest = DiscordRest.fromEnv(env);
  const notified = await notifyInvitations(db, rest, env.PUBLIC_URL, now);
  const announced = await announceSpentInvitations(db, rest);
  return { waves: waves.length, minted: waves.reduce((n, w) => n + w.result.recipients.length, 0), ...notified, ...announced };
}
