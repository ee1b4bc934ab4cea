import { openDb, type Db } from "../worker/db";
import { logError } from "../worker/log";
import { briefingSlotJob } from "./briefing-slot";
import { exactConfirmationJob } from "./exact-confirmation";
import { invitationJobs } from "./invitations";
import { memberSyncJob } from "./member-sync";
import { reconcileJob } from "./reconcile";

type Job = (env: Env, db: Db, now: Date) => Promise<unknown>;

/** The jobs of each cron expression in wrangler.toml's [triggers]. */
export const CRON_JOBS: Record<string, Job[]> = {
  "*/5 * * * *": [reconcileJob, invitationJobs],
  "0 * * * *": [briefingSlotJob, exactConfirmationJob, memberSyncJob("continue")],
  "30 3 * * *": [memberSyncJob("start")],
};

/** The cron trigger: runs the jobs of the expression that fired; one failing job does not stop the others. */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const jobs = CRON_JOBS[controller.cron];
  if (!jobs) {
    logError("cron: no jobs for this expression; wrangler.toml and cron/scheduled.ts disagree", new Error("unknown cron"), { cron: controller.cron });
    return;
  }
  const { db, close } = openDb(env);
  const now = new Date(controller.scheduledTime);
  try {
    const outcomes = await Promise.allSettled(jobs.map((job) => job(env, db, now)));
    for (const outcome of outcomes) if (outcome.status === "rejected") logError("cron job failed", outcome.reason, { cron: controller.cron });
  } finally {
    ctx.waitUntil(close());
  }
}
