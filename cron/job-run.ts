import { jobRuns } from "../schema";
import type { Db } from "../worker/db";
import type { DiscordFailure } from "../worker/discord/rest";
import { logError } from "../worker/log";

export type Figures = Record<string, number | string | boolean | null>;

/** What one guild's part of a job came to. */
export type JobOutcome =
  /** Worked: recorded in job_runs (health reads it). */
  | { kind: "done"; figures: Figures }
  /** Nothing to do for this guild this time: not recorded. */
  | { kind: "idle" }
  /** Discord refused for good (the bot left the guild, lost a permission): recorded as failed, not retried. */
  | { kind: "failed"; figures: Figures }
  /** Discord could not be reached for now: recorded as failed, and the Queue tries the guild again. */
  | { kind: "retry"; figures: Figures };

export const done = (figures: Figures): JobOutcome => ({ kind: "done", figures });
export const IDLE: JobOutcome = { kind: "idle" };
export const retry = (figures: Figures): JobOutcome => ({ kind: "retry", figures });

/** A Discord failure's outcome: an outage or a 429 is worth a retry, an answer (404, 403) is not. */
export const afterDiscordFailure = (error: DiscordFailure, figures: Figures): JobOutcome =>
  error.kind === "discord_unavailable" ? { kind: "retry", figures } : { kind: "failed", figures };

/**
 * A cron job, split where the Queue fans it out: the scheduled run selects the
 * guilds (a query or two, whatever their number), the Queue's consumer runs
 * each guild's part.
 */
export interface GuildJob {
  /** Its name in job_runs. */
  name: string;
  /** Jobs run only for servers the bot is in, unless this says otherwise (the purge). */
  forDepartedGuilds?: true;
  guilds(env: Env, db: Db, now: Date): Promise<string[]>;
  run(env: Env, db: Db, guildId: string, now: Date): Promise<JobOutcome>;
}

/** One guild's run of a job in job_runs; a failure to record is logged, never thrown (the work is done). */
export async function recordRun(db: Db, guildId: string, job: string, outcome: "ok" | "failed" | "dead_lettered", figures: Figures): Promise<void> {
  await db
    .insert(jobRuns)
    .values({ guildId, job, outcome, figures })
    .catch((error: unknown) => logError(`cron ${job}: could not record a run`, error, { guild: guildId }));
}
