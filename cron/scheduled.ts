import { openDb } from "../worker/db";
import { logError, logInfo } from "../worker/log";
import { invitationJobs } from "./invitations";
import { knownGuilds, reconcileGuilds } from "./reconcile";

/** The cron trigger: keeps every guild's invite cache honest between joins, and runs the invitation jobs. */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const { db, close } = openDb(env);
  try {
    const guilds = await knownGuilds(db);
    const result = await reconcileGuilds(env, guilds);
    logInfo("cron: caches reconciled", { cron: controller.cron, guilds: guilds.length, ...result });
    const invitations = await invitationJobs(db, env, new Date(controller.scheduledTime));
    logInfo("cron: invitation jobs", { cron: controller.cron, ...invitations });
  } catch (error) {
    logError("cron failed", error, { cron: controller.cron });
    throw error;
  } finally {
    ctx.waitUntil(close());
  }
}
