import { openDb } from "../worker/db";
import { logError, logInfo } from "../worker/log";
import { departedGuildIds, selectGuilds } from "./departed-guilds";
import { CRON_JOBS, GUILD_JOBS } from "./guild-jobs";
import { enqueueGuildJob, type GuildJobMessage } from "./job-queue";

/**
 * The cron trigger: selects the guilds each job of the expression has work for
 * and hands them to the Queue (cron/job-queue.ts runs them). A query and one
 * send per hundred guilds, whatever their number; one failing job does not stop the others.
 * Servers the bot has left are skipped by every job but the purge.
 */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const jobs = CRON_JOBS[controller.cron];
  if (!jobs) {
    logError("cron: no jobs for this expression; wrangler.toml and cron/guild-jobs.ts disagree", new Error("unknown cron"), { cron: controller.cron });
    return;
  }
  const { db, close } = openDb(env);
  const now = new Date(controller.scheduledTime);
  try {
    const departed = await departedGuildIds(db);
    const outcomes = await Promise.allSettled(
      jobs.map(async (job) => {
        const guilds = await selectGuilds(GUILD_JOBS[job], env, db, now, departed);
        const sends = await enqueueGuildJob(env.GUILD_JOBS as Queue<GuildJobMessage>, job, guilds, controller.scheduledTime);
        logInfo("cron: guild jobs enqueued", { cron: controller.cron, job, guilds: guilds.length, sends });
      }),
    );
    for (const outcome of outcomes) if (outcome.status === "rejected") logError("cron: a job could not be enqueued", outcome.reason, { cron: controller.cron });
  } finally {
    ctx.waitUntil(close());
  }
}
