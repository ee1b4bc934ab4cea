// bench/attribution: a seeded scenario of 1,000+ joins over 50 invites (paced
// joins, viral and spread bursts, single-use and vanity joins, invites created
// and deleted) replayed through the relay endpoint and the GuildInvites Durable
// Object (wrangler dev) against the fake Discord, and, on the same event stream,
// through the naive diff most invite bots use. Prints precision, recall and
// Discord API calls per join for both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { signedHeaders } from "../relay/signing";
import { startLocalWorker } from "../scripts/lib/local-worker";
import type { Dispatch } from "../simulator/state";
import { startFakeDiscord } from "../simulator/server";
import { naiveAttribute, type InviteCount } from "../worker/attribution/naive";
import { generateScenario, type Segment } from "./lib/attribution-scenario";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";

const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const GUILD = "910000000000000001";
const VANITY = "benchvanity";
const RELAY_SECRET = "bench-relay-secret";
/** The DO settles a join it cannot decide after joinWaitMs (30 s); leave room for that. */
const SETTLE_TIMEOUT_MS = 90_000;
/** Marks the naive bot's requests in the fake's request log; the rest are the Worker's. */
const NAIVE_TAG = "naive-bot";

const started = Date.now();
const scenario = generateScenario({ seed: SEED, minJoins: 1000, invites: 50 });
const labels = new Map<string, string>([...scenario.initial, ...scenario.actions.flatMap((a) => (a.kind === "create" ? [a.invite] : []))].map((i) => [i.code, i.source]));
labels.set(VANITY, "Vanity URL");

/** Started processes and servers, stopped in reverse order however the run ends. */
const stops: Array<() => Promise<unknown>> = [];
try {
  const database = await startMigratedDatabase();
  stops.push(() => database.stop());
  // Both bots poll the same route for the same guild; the fake's default bucket (50/s)
  // would throttle them against each other, which is not what is measured here.
  const generous = { limit: 10_000, windowMs: 1000 };
  const discord = await startFakeDiscord({ buckets: { "GET /guilds/{guild_id}/invites": generous, "GET /guilds/{guild_id}/vanity-url": generous } });
  stops.push(() => discord.close());
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "invites-bench-do-"));
  const worker = await startLocalWorker({
    vars: {
      DATABASE_URL: database.url,
      DATABASE_WS_PROXY: database.wsProxy,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_BOT_TOKEN: "bench",
      RELAY_SECRET,
      DISCORD_PUBLIC_KEY: "0".repeat(64),
      DISCORD_APPLICATION_ID: "100000000000000001",
      PUBLIC_URL: "http://127.0.0.1",
    },
    persistTo,
    log: process.env.BENCH_VERBOSE ? (line) => console.error(`[worker] ${line}`) : undefined,
  });
  stops.push(async () => {
    await worker.stop();
    fs.rmSync(persistTo, { recursive: true, force: true });
  });

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  stops.push(() => client.end());
  for (const table of ["invite_joins", "members", "invites", "invite_sources"]) await client.query(`delete from ${table} where guild_id = $1`, [GUILD]);
  const { rows: sourceRows } = await client.query<{ id: number; name: string }>(
    "insert into invite_sources (guild_id, name) select $1, unnest($2::text[]) returning id, name",
    [GUILD, [...scenario.sources, "Vanity URL"]],
  );
  const sourceId = new Map(sourceRows.map((r) => [r.name, r.id]));
  /** Labels a code with its source, as /invite assign would; the DO's own invite rows keep the label. */
  const label = (code: string) =>
    client.query(
      `insert into invites (code, guild_id, source_id) values ($1, $2, $3)
       on conflict (code) do update set source_id = excluded.source_id`,
      [code, GUILD, sourceId.get(labels.get(code)!)],
    );

  // The world before the bot: a guild with a vanity URL and 50 invites.
  const { state } = discord;
  state.createGuild({ id: GUILD, name: "Bench", features: ["VANITY_URL"], vanity_url_code: VANITY });
  for (const invite of scenario.initial) {
    state.createInvite(GUILD, { code: invite.code, max_uses: invite.maxUses, max_age: invite.maxAge });
    await label(invite.code);
  }
  await label(VANITY);

  // --- The relay: every dispatch from here on, in order, signed, with a stable id.
  let sequence = 0;
  const outbox: Array<{ id: string; t: string; d: unknown }> = [];
  let forwarding: Promise<unknown> | null = null;
  let failure: unknown = null;
  let maxQueue = 0;
  async function drain() {
    for (let event = outbox.shift(); event; event = outbox.shift()) {
      const body = JSON.stringify(event);
      const response = await fetch(`${worker.url}/relay/events`, { method: "POST", headers: signedHeaders(RELAY_SECRET, body, Date.now()), body });
      if (response.status !== 202) throw new Error(`relay event ${event.id} answered ${response.status}: ${await response.text()}`);
    }
    // Cleared in the same tick as the empty check, so no event is left behind.
    forwarding = null;
  }
  function relay(t: string, d: unknown) {
    outbox.push({ id: `bench:${sequence++}`, t, d });
    maxQueue = Math.max(maxQueue, outbox.length);
    // A failure is kept, not thrown here: an unhandled rejection would skip the cleanup.
    forwarding ??= drain().catch((error: unknown) => {
      failure ??= error;
      forwarding = null;
    });
  }

  // --- The naive bot: on each join it receives, one fetch, first code whose count rose.
  const naive = new Map<string, string | null>();
  let naiveCalls = 0;
  let snapshot: InviteCount[] = [];
  const naiveFetch = async (): Promise<InviteCount[]> => {
    naiveCalls += 1;
    const response = await fetch(`${discord.apiBase}/guilds/${GUILD}/invites?client=${NAIVE_TAG}`, { headers: { Authorization: "Bot naive" } });
    if (!response.ok) throw new Error(`naive fetch answered ${response.status}`);
    return ((await response.json()) as Array<{ code: string; uses: number }>).map((i) => ({ code: i.code, uses: i.uses }));
  };
  const naivePending: Promise<void>[] = [];
  function naiveOnJoin(userId: string) {
    naivePending.push(
      naiveFetch().then((after) => {
        naive.set(userId, naiveAttribute(snapshot, after));
        snapshot = after;
      }, (error: unknown) => void (failure ??= error)),
    );
  }

  state.events.on("dispatch", (dispatch: Dispatch) => {
    relay(dispatch.t, dispatch.d);
    if (dispatch.t === "GUILD_MEMBER_ADD") naiveOnJoin((dispatch.d.user as { id: string }).id);
  });

  // Both bots meet the guild: GUILD_CREATE seeds the DO's cache, the naive bot takes its snapshot.
  relay("GUILD_CREATE", { id: GUILD, features: ["VANITY_URL"], vanity_url_code: VANITY });
  snapshot = await naiveFetch();
  const workerCalls = () => discord.requests.list().filter((r) => r.query.client !== NAIVE_TAG);
  await waitFor(
    async () => (workerCalls().some((r) => r.path === `/guilds/${GUILD}/invites` && r.status === 200) ? true : undefined),
    20_000,
    "the DO's seed fetch",
  );

  // --- Replay.
  const replayStarted = Date.now();
  const segmentOf = new Map<string, Segment>();
  for (const action of scenario.actions) {
    const wait = replayStarted + action.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (action.kind === "create") {
      await label(action.invite.code);
      state.createInvite(GUILD, { code: action.invite.code, max_uses: action.invite.maxUses, max_age: action.invite.maxAge });
    } else if (action.kind === "delete") {
      state.deleteInvite(action.code);
    } else {
      segmentOf.set(action.userId, action.segment);
      const user = { id: action.userId, username: `user${action.userId.slice(-5)}` };
      if ("vanity" in action.via) state.joinViaVanity(GUILD, user);
      else state.joinViaInvite(action.via.invite, user);
    }
  }
  const replaySeconds = (Date.now() - replayStarted) / 1000;
  progress(`replayed ${scenario.joins} joins in ${replaySeconds.toFixed(1)} s; relay queue ${outbox.length}`);
  while (forwarding) await forwarding;
  await Promise.all(naivePending);
  if (failure) throw failure;

  // --- Every join has a row once the DO settled it (undecidable ones after joinWaitMs).
  const settleStarted = Date.now();
  const rows = await waitFor(async () => {
    const { rows } = await client.query<{ user_id: string; method: string; invite_code: string | null; source_id: number | null; candidates: string[] | null }>(
      "select user_id, method, invite_code, source_id, candidates from invite_joins where guild_id = $1",
      [GUILD],
    );
    return rows.length >= scenario.joins ? rows : undefined;
  }, SETTLE_TIMEOUT_MS, `${scenario.joins} join rows`);
  const settleSeconds = (Date.now() - settleStarted) / 1000;

  // --- Score against the fake's join log.
  const truth = new Map(state.joins.filter((j) => j.guild_id === GUILD).map((j) => [j.user_id, j.invite_code]));
  if (truth.size !== scenario.joins) throw new Error(`the fake logged ${truth.size} joins, expected ${scenario.joins}`);
  const byUser = new Map(rows.map((r) => [r.user_id, r]));
  const segments = ["paced", "viral", "spread"] as const;
  const perSegment = () => Object.fromEntries(segments.map((s) => [s, { joins: 0, worker: 0, naive: 0 }]));
  const recallBySegment = perSegment();
  let attributed = 0;
  let right = 0;
  // The same figures for the diff alone (diff/vanity), without the exact lookup.
  let diffAttributed = 0;
  let diffRight = 0;
  let naiveAttributed = 0;
  let naiveRight = 0;
  let unresolvedNamingTruth = 0;
  const methods: Record<string, number> = {};
  for (const [userId, code] of truth) {
    const row = byUser.get(userId);
    if (!row) throw new Error(`no row for ${userId}`);
    methods[row.method] = (methods[row.method] ?? 0) + 1;
    const bucket = recallBySegment[segmentOf.get(userId)!]!;
    bucket.joins += 1;
    const byDiff = row.method === "diff" || row.method === "vanity";
    if (byDiff || row.method === "exact") {
      attributed += 1;
      if (byDiff) diffAttributed += 1;
      if (row.invite_code === code && row.source_id === sourceId.get(labels.get(code!)!)) {
        right += 1;
        if (byDiff) diffRight += 1;
        bucket.worker += 1;
      }
    }
    if (row.method === "unresolved" && code !== null && row.candidates?.includes(code)) unresolvedNamingTruth += 1;
    const guess = naive.get(userId);
    if (guess === undefined) throw new Error(`the naive bot never saw ${userId}`);
    if (guess !== null) {
      naiveAttributed += 1;
      if (guess === code) {
        naiveRight += 1;
        bucket.naive += 1;
      }
    }
  }

  const calls = workerCalls();
  const joins = scenario.joins;
  const round = (x: number) => Number(x.toFixed(3));
  // null when nothing was there to count (e.g. precision with no attributed join).
  const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b));
  console.log(
    JSON.stringify({
      bench: "attribution",
      joins,
      precision: ratio(right, attributed),
      recall: ratio(right, joins),
      api_calls_per_join: ratio(calls.length, joins),
      diff_only: { precision: ratio(diffRight, diffAttributed), recall: ratio(diffRight, joins) },
      naive: { precision: ratio(naiveRight, naiveAttributed), recall: ratio(naiveRight, joins), api_calls_per_join: ratio(naiveCalls, joins) },
      seed: SEED,
      invites: scenario.initial.length,
      invites_created: scenario.actions.filter((a) => a.kind === "create").length,
      invites_deleted: scenario.actions.filter((a) => a.kind === "delete").length,
      methods,
      // Unresolved joins whose candidate codes include the one really used (what /invite recent shows).
      unresolved_naming_truth: ratio(unresolvedNamingTruth, methods.unresolved ?? 0),
      recall_by_segment: Object.fromEntries(
        Object.entries(recallBySegment).map(([s, b]) => [s, { joins: b.joins, worker: ratio(b.worker, b.joins), naive: ratio(b.naive, b.joins) }]),
      ),
      worker_calls: calls.reduce<Record<string, number>>((count, r) => ({ ...count, [r.route ?? r.path]: (count[r.route ?? r.path] ?? 0) + 1 }), {}),
      worker_non_2xx: calls.filter((r) => r.status >= 300).length,
      replay_s: round(replaySeconds),
      settle_s: round(settleSeconds),
      relay_max_queue: maxQueue,
      total_s: round((Date.now() - started) / 1000),
    }),
  );
} finally {
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error("cleanup failed", error));
}

function progress(message: string) {
  if (process.env.BENCH_VERBOSE) console.error(`[bench] ${message}`);
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
