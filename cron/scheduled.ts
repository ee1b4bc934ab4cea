import { openDb } from "../worker/db";
import { logError, logInfo } from "../worker/log";
import { knownGuilds, reconcileGuilds } from "./reconcile";

/** The cron trigger: keeps every guild's invite cache honest between joins. */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const { db, close } = openDb(env);
  try {
    const guilds = await knownGuilds(db);
    const result = await reconcileGuilds(env, guilds);
    logInfo("cron: caches reconciled", { cron: controller.cron, guilds: guilds.length, ...result });
  } catch (error) {
    logError("cron failed", error, { cron: controller.cron });
    throw error;
  } finally {
    ctx.waitUntil(close());
  }
}
