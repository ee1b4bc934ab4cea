import { jobRuns } from "../schema";
import type { Db } from "../worker/db";
import { logError, logInfo } from "../worker/log";

export type Figures = Record<string, number | string | boolean | null>;
/** One guild's part of a job run; null: nothing to do for this guild (not recorded). */
export type GuildWork = (guildId: string) => Promise<Figures | null>;

/** Guilds worked on at once: enough to overlap Discord's latency, few enough to stay far under its global limit. */
const CONCURRENCY = 8;

/**
 * Runs a job for each guild, a few at a time. A guild that throws is recorded as
 * failed and logged; the others go on. Each guild's figures land in job_runs
 * (health reads them); the run logs one structured line with the totals.
 */
export async function runForGuilds(db: Db, job: string, guildIds: string[], work: GuildWork): Promise<Figures> {
  const started = Date.now();
  const totals: Record<string, number> = {};
  let failed = 0;
  let done = 0;
  const queue = [...guildIds];
  const worker = async () => {
    for (let guildId = queue.shift(); guildId !== undefined; guildId = queue.shift()) {
      let outcome: "ok" | "failed" = "ok";
      let figures: Figures | null;
      try {
        figures = await work(guildId);
      } catch (error) {
        outcome = "failed";
        failed++;
        figures = { error: error instanceof Error ? error.message.slice(0, 200) : String(error) };
        logError(`cron ${job}: a guild failed`, error, { job, guild: guildId });
      }
      if (figures === null) continue;
      done++;
      for (const [key, value] of Object.entries(figures)) if (typeof value === "number") totals[key] = (totals[key] ?? 0) + value;
      await db.insert(jobRuns).values({ guildId, job, outcome, figures }).catch((error: unknown) => logError(`cron ${job}: could not record a run`, error, { guild: guildId }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, guildIds.length) }, worker));
  const summary = { job, guilds: guildIds.length, worked: done, failed, ms: Date.now() - started, ...totals };
  logInfo(`cron ${job}`, summary);
  return summary;
}
