import { AsyncLocalStorage } from "node:async_hooks";
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { heartbeatDue } from "../../cron/heartbeat";
import type { GuildJobMessage } from "../../cron/job-queue";
import { invites, jobRuns } from "../../schema";
import worker from "../../worker/index";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { eventually, guildStub } from "./support/relay";

const CRON = "*/5 * * * *";
const PERIOD_MS = 5 * 60_000;
/** wrangler.toml: the consumer's max_batch_size and max_concurrency. */
const BATCH = 10;
const CONSUMERS = 10;
const MAX_RETRIES = 3;

const made: string[] = [];

/** Guilds the simulator has and the bot knows (a source recorded for each). */
async function knownGuilds(count: number, name: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => fakeDiscord.createGuild({ name })));
    ids.push(...batch.map((g) => g.id));
  }
  await withDb((db) =>
    db.execute(sql`insert into invite_sources (guild_id, name, name_key) select g, ${name}, ${name.toLowerCase()} from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) g`),
  );
  made.push(...ids);
  return ids;
}

const runsSince = (guilds: string[], since: number) =>
  withDb((db) =>
    db
      .select({ guildId: jobRuns.guildId, outcome: jobRuns.outcome, figures: jobRuns.figures })
      .from(jobRuns)
      .where(and(inArray(jobRuns.guildId, guilds), eq(jobRuns.job, "reconcile"), gte(jobRuns.ranAt, new Date(since)))),
  );

/**
 * A Worker invocation's subrequests: fetches (Discord), WebSockets (Postgres through
 * the Neon driver), Durable Object calls and Queue sends, each counted against the
 * invocation it ran in (several run at once, as the Queue's consumers do).
 */
function subrequestCounter() {
  const invocation = new AsyncLocalStorage<{ calls: number }>();
  const count = () => {
    const current = invocation.getStore();
    if (current) current.calls++;
  };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((...args) => {
    count();
    return realFetch(...args);
  });
  const RealWebSocket = globalThis.WebSocket;
  vi.stubGlobal(
    "WebSocket",
    class extends RealWebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        count();
      }
    },
  );
  const sent: GuildJobMessage[] = [];
  const woken = new Set<string>();
  const namespace = env.GUILD_INVITES;
  const countedEnv = {
    ...env,
    GUILD_INVITES: new Proxy(namespace, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key !== "get") return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return (id: DurableObjectId) =>
          new Proxy(target.get(id), {
            get(stub, method) {
              const value = Reflect.get(stub, method, stub) as unknown;
              if (typeof value !== "function") return value;
              return (...args: unknown[]) => {
                count();
                if (method === "reconcile") woken.add(String(args[0]));
                return Reflect.apply(value as (...a: unknown[]) => unknown, stub, args);
              };
            },
          });
      },
    }),
    // The producer side of the Queue: this test delivers the messages itself, in the
    // consumer's batches and concurrency (the real Queue's delivery is the next test's).
    GUILD_JOBS: {
      send: async (body: GuildJobMessage) => {
        count();
        sent.push(body);
      },
      sendBatch: async (messages: Iterable<{ body: GuildJobMessage }>) => {
        count();
        for (const m of messages) sent.push(m.body);
      },
    },
  } as unknown as Env;
  const measure = async (work: () => Promise<void>) => {
    const store = { calls: 0 };
    await invocation.run(store, work);
    return store.calls;
  };
  return { env: countedEnv, sent, woken, measure };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/**
 * The guilds made here would be every later cron run's work (here and in later files):
 * the bot forgets them the way knownGuilds() reads (sources retired, invites deleted);
 * updates, as deleting sources would check every join referencing them.
 */
const forgetMade = () =>
  withDb((db) =>
    db.execute(sql`
      with gone as (select jsonb_array_elements_text(${JSON.stringify(made.splice(0))}::jsonb) as guild_id)
      , retired as (update invite_sources set retired_at = now() where guild_id in (select guild_id from gone) and retired_at is null)
      update invites set deleted_at = now() where guild_id in (select guild_id from gone) and deleted_at is null`),
  );
afterEach(forgetMade);

describe("the cron's fan-out through the guild jobs queue", () => {
  it("reconciles 2,000 guilds within one period, no invocation over 500 subrequests", { timeout: 600_000 }, async () => {
    const guilds = await knownGuilds(2_000, "Fanout");
    // One guild in twenty had an invite made while the relay was down: drift to repair, and its object refetches.
    const drifting = guilds.filter((_, i) => i % 20 === 0);
    const unseen = new Map<string, string>();
    for (let i = 0; i < drifting.length; i += 25) {
      await Promise.all(drifting.slice(i, i + 25).map(async (g) => unseen.set(g, (await fakeDiscord.createInvite(g, { max_age: 0 })).code)));
    }
    const counter = subrequestCounter();
    const started = Date.now();

    const scheduledCalls = await counter.measure(async () => {
      const execution = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: started, cron: CRON }), counter.env, execution);
      await waitOnExecutionContext(execution);
    });
    const ours = new Set(guilds);
    const queued = counter.sent.filter((m) => m.job === "reconcile" && ours.has(m.guildId));
    expect(queued.map((m) => m.guildId).sort()).toEqual([...guilds].sort());
    expect(queued.every((m) => m.firedAt === started)).toBe(true);

    // The consumers, as the Queue runs them: batches of max_batch_size, max_concurrency at once,
    // a message the consumer hands back delivered again (up to max_retries).
    const pending = queued.map((body) => ({ body, attempts: 1 }));
    const perInvocation: number[] = [];
    let retried = 0;
    const consumer = async () => {
      for (let chunk = pending.splice(0, BATCH); chunk.length > 0; chunk = pending.splice(0, BATCH)) {
        const ids = chunk.map((m) => `${m.body.guildId}-${m.attempts}`);
        const batch = createMessageBatch<GuildJobMessage>(
          "invite-guild-jobs",
          chunk.map((m, i) => ({ id: ids[i]!, timestamp: new Date(), attempts: m.attempts, body: m.body })),
        );
        const ctx = createExecutionContext();
        let result: Awaited<ReturnType<typeof getQueueResult>> | undefined;
        perInvocation.push(
          await counter.measure(async () => {
            await worker.queue(batch, counter.env, ctx);
            result = await getQueueResult(batch, ctx);
          }),
        );
        for (const { msgId } of result!.retryMessages) {
          const message = chunk[ids.indexOf(msgId)]!;
          retried++;
          if (message.attempts <= MAX_RETRIES) pending.push({ body: message.body, attempts: message.attempts + 1 });
        }
      }
    };
    await Promise.all(Array.from({ length: CONSUMERS }, consumer));
    const seconds = (Date.now() - started) / 1000;

    const runs = await runsSince(guilds, started);
    expect(new Set(runs.filter((r) => r.outcome === "ok").map((r) => r.guildId)).size).toBe(guilds.length);
    const repaired = runs.filter((r) => r.figures.drift === 1).map((r) => r.guildId);
    expect(repaired.sort()).toEqual([...drifting].sort());
    const recorded = await withDb((db) => db.select({ code: invites.code }).from(invites).where(inArray(invites.code, [...unseen.values()])));
    expect(recorded).toHaveLength(drifting.length);
    // The objects woken: the drifting guilds' (to refetch) and those whose hourly heartbeat this period is;
    // the others are left alone (no second Discord call per guild for nothing).
    const heartbeats = guilds.filter((g) => heartbeatDue(g, started));
    expect(heartbeats.length).toBeGreaterThan(guilds.length / 24);
    expect([...counter.woken].filter((g) => ours.has(g)).sort()).toEqual([...new Set([...drifting, ...heartbeats])].sort());
    expect(runs.filter((r) => r.figures.heartbeat === true).map((r) => r.guildId).sort()).toEqual([...heartbeats].sort());
    // Each drifting guild's object refetched.
    await eventually(
      async () => ((await Promise.all(drifting.map(async (g) => ((await guildStub(g).status()).cachedAt ?? 0) >= started))).every(Boolean) ? true : undefined),
      60_000,
      "the drifting guilds' objects refetched",
    );
    expect(seconds * 1000).toBeLessThan(PERIOD_MS);
    // A handful for the scheduled run (queries, a send per hundred guilds); a few per guild in a consumer's.
    // (The consumer's DB connections are WebSockets: counted.)
    expect(scheduledCalls).toBeLessThanOrEqual(Math.ceil(counter.sent.length / 100) + 5);
    expect(Math.max(...perInvocation)).toBeLessThanOrEqual(500);
    console.log(JSON.stringify({ fanout: { guilds: guilds.length, seconds, scheduledSubrequests: scheduledCalls, maxConsumerSubrequests: Math.max(...perInvocation), retried } }));
  });

  it("retries a failing guild through the real Queue, then dead-letters it, while the others are reconciled", { timeout: 180_000 }, async () => {
    const [failing, ...healthy] = await knownGuilds(3, "Fanout failing");
    // Discord fails every request about this guild (a 5xx that never lifts).
    await fakeDiscord.failures({ path_prefix: `/guilds/${failing!}`, count: 10_000, status: 503 });
    const started = Date.now();

    // Miniflare's Queue this time: scheduled run, consumer, retries, dead-letter queue and its consumer.
    const execution = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: started, cron: CRON }), env, execution);
    await waitOnExecutionContext(execution);

    await eventually(
      async () => ((await runsSince(healthy, started)).filter((r) => r.outcome === "ok").length === healthy.length ? true : undefined),
      150_000,
      "the healthy guilds reconciled",
    );
    const runs = await eventually(
      async () => {
        const rows = await runsSince([failing!], started);
        return rows.some((r) => r.outcome === "dead_lettered") ? rows : undefined;
      },
      150_000,
      "the failing guild dead-lettered",
    );
    // Tried once and retried max_retries (3) times, each recorded, then dead-lettered once.
    expect(runs.filter((r) => r.outcome === "failed").map((r) => r.figures.attempt).sort()).toEqual([1, 2, 3, 4]);
    expect(runs.filter((r) => r.outcome === "dead_lettered")).toHaveLength(1);
    expect(runs.every((r) => r.outcome !== "ok")).toBe(true);
  });
});
