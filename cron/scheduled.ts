import { openDb } from "../worker/db";
import { logError, logInfo } from "../worker/log";
import { invitationJobs } from "./invitations";
import { knownGuilds, reconcileGuilds } from "./reconcile";

/**
 * The cron trigger: keeps every guild's invite cache honest between joins, and
 * runs the invitation jobs. Each job runs even when the other failed; the run
 * fails (and is logged) if either did.
 */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const { db, close } = openDb(env);
  const jobs: Array<[string, () => Promise<Record<string, unknown>>]> = [
    [
      "caches reconciled",
      async () => {
        const guilds = await knownGuilds(db);
        return { guilds: guilds.length, ...(await reconcileGuilds(env, guilds)) };
      },
    ],
    ["invitation jobs", () => invitationJobs(db, env, new Date(controller.scheduledTime))],
  ];
  let failure: unknown = null;
  try {
    for (const [name, job] of jobs) {
      try {
        logInfo(`cron: ${name}`, { cron: controller.cron, ...(await job()) });
      } catch (error) {
        logError(`cron failed: ${name}`, error, { cron: controller.cron });
        failure ??= error;
      }
    }
    if (failure) throw failure;
  } finally {
    ctx.waitUntil(close());
  }
}
