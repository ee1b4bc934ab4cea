// The cron's fan-out: the scheduled run enqueues one message per job and guild
// (`enqueueGuildJob`); the Queue's consumer runs them a small batch per invocation
// (`runGuildJobMessages`). A guild whose part fails is retried with backoff and,
// after `max_retries` (wrangler.toml), dead-lettered without holding back the rest.
import * as v from "valibot";
import { openDb, type Db } from "../worker/db";
import { isolateEdgeGate } from "../worker/discord/edge";
import { logError, logInfo } from "../worker/log";
import { GUILD_JOB_NAMES, GUILD_JOBS } from "./guild-jobs";
import { recordRun, retry, type JobOutcome } from "./job-run";
import { retryDelaySeconds } from "./retry-delay";

/** The dead-letter queue's name in wrangler.toml: its batches are reported, not run. */
export const DEAD_LETTER_QUEUE = "invite-guild-jobs-dlq";
/** Cloudflare's limit on messages per `sendBatch` call. */
export const SEND_BATCH_MAX = 100;
/**
 * Postgres connections per consumer invocation, shared by its batch's guilds: at
 * the consumer's max_concurrency (wrangler.toml) that is 40 at most, well inside
 * a Postgres's 100 (or use Neon's pooled connection string).
 */
export const CONNECTIONS_PER_INVOCATION = 4;

const GuildJobMessage = v.object({
  job: v.picklist(GUILD_JOB_NAMES),
  guildId: v.pipe(v.string(), v.regex(/^\d{17,20}$/)),
  /** The cron run that asked (its scheduled time, ms): the job's `now`, whenever it runs. */
  firedAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type GuildJobMessage = v.InferOutput<typeof GuildJobMessage>;

/** Enqueues the job for each guild in as few calls as the Queue allows; returns the calls made. */
export async function enqueueGuildJob(queue: Queue<GuildJobMessage>, job: GuildJobMessage["job"], guildIds: readonly string[], firedAt: number): Promise<number> {
  let calls = 0;
  for (let i = 0; i < guildIds.length; i += SEND_BATCH_MAX) {
    await queue.sendBatch(guildIds.slice(i, i + SEND_BATCH_MAX).map((guildId) => ({ body: { job, guildId, firedAt }, contentType: "json" as const })));
    calls++;
  }
  return calls;
}

type Handled = "done" | "failed" | "idle" | "retried" | "dropped";

/** The consumer: each message's job for its guild, at once (a batch is `max_batch_size` guilds). */
export async function runGuildJobMessages(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const { db, close } = openDb(env, { maxConnections: CONNECTIONS_PER_INVOCATION });
  try {
    const handled = await Promise.all(batch.messages.map((message) => runMessage(message, env, db)));
    const count = (h: Handled) => handled.filter((x) => x === h).length;
    logInfo("cron: guild jobs run", { queue: batch.queue, messages: handled.length, done: count("done"), failed: count("failed"), idle: count("idle"), retried: count("retried"), dropped: count("dropped") });
  } finally {
    ctx.waitUntil(close());
  }
}

async function runMessage(message: Message<unknown>, env: Env, db: Db): Promise<Handled> {
  const parsed = v.safeParse(GuildJobMessage, message.body);
  if (!parsed.success) {
    // Retrying cannot mend a malformed message.
    logError("cron: malformed guild job message dropped", new Error(v.summarize(parsed.issues)), { id: message.id });
    message.ack();
    return "dropped";
  }
  const { job, guildId, firedAt } = parsed.output;
  const spec = GUILD_JOBS[job];
  let outcome: JobOutcome;
  const edgeBefore = isolateEdgeGate.total;
  try {
    outcome = await spec.run(env, db, guildId, new Date(firedAt));
  } catch (error) {
    logError(`cron ${job}: a guild failed`, error, { job, guild: guildId, attempts: message.attempts });
    outcome = retry({ error: error instanceof Error ? error.message.slice(0, 200) : String(error) });
  }
  // Discord's edge refusing the bot, for /invite health (an isolate runs several guilds at once: the count is the isolate's meanwhile).
  const edgeRefused = isolateEdgeGate.total - edgeBefore;
  if (edgeRefused > 0 && outcome.kind !== "idle") outcome = { ...outcome, figures: { ...outcome.figures, edgeRefused } };
  switch (outcome.kind) {
    case "idle":
      message.ack();
      return "idle";
    case "done":
    case "failed":
      await recordRun(db, guildId, spec.name, outcome.kind === "done" ? "ok" : "failed", outcome.figures);
      message.ack();
      return outcome.kind;
    case "retry": {
      await recordRun(db, guildId, spec.name, "failed", { ...outcome.figures, attempt: message.attempts });
      message.retry({ delaySeconds: retryDelaySeconds(env.GUILD_JOBS_RETRY_DELAY_S, message.attempts) });
      return "retried";
    }
  }
}

/** The dead-letter queue's consumer: jobs that kept failing, logged loudly and recorded for /invite health. */
export async function recordDeadGuildJobs(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const { db, close } = openDb(env);
  try {
    for (const message of batch.messages) {
      const parsed = v.safeParse(GuildJobMessage, message.body);
      logError("cron: a guild job was dead-lettered after its retries", null, { body: message.body, attempts: message.attempts });
      if (parsed.success) await recordRun(db, parsed.output.guildId, GUILD_JOBS[parsed.output.job].name, "dead_lettered", { firedAt: parsed.output.firedAt });
      message.ack();
    }
  } finally {
    ctx.waitUntil(close());
  }
}
