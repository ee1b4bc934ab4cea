import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { departedGuildIds, selectGuilds } from "../../../cron/departed-guilds";
import { CRON_JOBS, GUILD_JOBS, type GuildJobName } from "../../../cron/guild-jobs";
import type { GuildJobMessage } from "../../../cron/job-queue";
import worker from "../../../worker/index";
import { withDb } from "./db";

/** The consumer's answer to one delivery: the messages it asked the Queue to retry. */
export async function deliver(messages: Array<{ body: GuildJobMessage; attempts?: number }>): Promise<{ retried: GuildJobMessage[] }> {
  const ids = messages.map(() => crypto.randomUUID());
  const batch = createMessageBatch<GuildJobMessage>(
    "invite-guild-jobs",
    messages.map((m, i) => ({ id: ids[i]!, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { retried: result.retryMessages.map((r: { msgId: string }) => messages[ids.indexOf(r.msgId)]!.body) };
}

/**
 * One cron run as far as the test's guilds go: each job of the expression selects
 * its guilds with the scheduled run's own code, and the test's guilds among them are
 * delivered to the Queue's consumer in one batch, as the Queue would (servers the
 * bot left are skipped, as the scheduled run skips them). (The shared
 * test database knows hundreds of other guilds; their work is not this test's.)
 * Returns, per job, the test's guilds it selected and those the consumer retried.
 */
export async function runCron(cron: string, guilds: readonly string[], at = Date.now()) {
  const outcome: Partial<Record<GuildJobName, { selected: string[]; retried: string[] }>> = {};
  for (const job of CRON_JOBS[cron]!) {
    const all = new Set(await withDb(async (db) => selectGuilds(GUILD_JOBS[job], env, db, new Date(at), await departedGuildIds(db))));
    const selected = guilds.filter((g) => all.has(g));
    const { retried } = selected.length > 0 ? await deliver(selected.map((guildId) => ({ body: { job, guildId, firedAt: at } }))) : { retried: [] };
    outcome[job] = { selected, retried: retried.map((m) => m.guildId) };
  }
  return outcome;
}
