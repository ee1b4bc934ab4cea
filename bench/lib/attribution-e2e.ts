// The end-to-end half of bench/attribution: a few minutes of mixed traffic, in real
// time, through POST /relay/events, the GuildInvites Durable Object (wrangler dev)
// and the Discord simulator with its realistic latencies. Two guilds get the same
// stream: in one, Discord refuses member search (the diff stands alone); in the
// other it answers (exact lookups). The naive bot watches the first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { signedHeaders } from "../../relay/signing";
import { startLocalWorker } from "../../scripts/lib/local-worker";
import { startMigratedDatabase } from "../../scripts/lib/migrated-database";
import { waitUntil } from "../../scripts/lib/wait";
import { snowflake } from "../../simulator/ids";
import { startFakeDiscord } from "../../simulator/server";
import { JOINS_WITHOUT_INVITE, type Dispatch } from "../../simulator/state";
import { prng } from "./prng";
import { benchWorkerVars } from "./bench-worker";

const RELAY_SECRET = "bench-relay-secret";
const INVITES = 6;
const NAIVE_TAG = "naive-bot";

type Route = { invite: number } | { vanity: true } | { single: true } | { none: "discovery" | "oauth" };
/** What happens and when (ms from the start): built once, played in both guilds. */
function plan(seed: number): Array<{ at: number; route: Route }> {
  const rng = prng(seed);
  const exp = (mean: number) => -mean * Math.log(1 - rng.next());
  const out: Array<{ at: number; route: Route }> = [];
  const mixed = (): Route => {
    const x = rng.next();
    if (x < 0.1) return { none: rng.next() < 0.5 ? "discovery" : "oauth" };
    if (x < 0.2) return { vanity: true };
    if (x < 0.27) return { single: true };
    return { invite: Math.min(INVITES - 1, Math.floor(exp(2))) };
  };
  let t = 3_000;
  const paced = (until: number, mean: number) => {
    while ((t += exp(mean)) < until) out.push({ at: t, route: mixed() });
  };
  paced(45_000, 3_000);
  for (let i = 0, code = rng.int(0, INVITES - 1); i < 15; i++) out.push({ at: (t += exp(100)), route: { invite: code } });
  paced(t + 20_000, 5_000);
  for (let i = 0; i < 12; i++) out.push({ at: (t += exp(150)), route: { invite: rng.int(0, 2) } });
  paced(t + 30_000, 1_500);
  for (let i = 0; i < 30; i++) out.push({ at: (t += exp(100)), route: rng.next() < 0.1 ? { none: "discovery" } : { invite: 3 } });
  paced(t + 40_000, 3_000);
  return out;
}

export interface EndToEnd {
  joins: number;
  code_joins: number;
  min_precision: number;
  diff_recall: number;
  exact_recall: number;
  naive_precision: number;
  naive_recall: number;
  calls_per_join: number;
  naive_calls_per_join: number;
  duration_s: number;
}

export async function runEndToEnd(progress: (line: string) => void, seed = 20261123): Promise<EndToEnd> {
  const started = Date.now();
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const database = await startMigratedDatabase();
    stops.push(() => database.stop());
    // Both bots poll the same guild: the fake's default bucket would throttle them against each other.
    const generous = { limit: 10_000, windowMs: 1000 };
    const discord = await startFakeDiscord({ seed, buckets: { "GET /guilds/{guild_id}/invites": generous, "GET /guilds/{guild_id}/vanity-url": generous } });
    stops.push(() => discord.close());
    const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "invites-bench-do-"));
    const worker = await startLocalWorker({
      vars: benchWorkerVars(database, discord.apiBase, RELAY_SECRET),
      persistTo,
      log: process.env.BENCH_VERBOSE ? (line) => progress(`[worker] ${line}`) : undefined,
    });
    stops.push(async () => {
      await worker.stop();
      fs.rmSync(persistTo, { recursive: true, force: true });
    });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    stops.push(() => client.end());

    const { state } = discord;
    const guilds = (["refuse", "answer"] as const).map((memberSearch) => {
      const vanity = `bench${memberSearch}`;
      const guild = state.createGuild({ name: `Bench ${memberSearch}`, features: ["VANITY_URL"], vanity_url_code: vanity });
      state.behaviours.patch(guild.id, { member_search: memberSearch });
      const codes = Array.from({ length: INVITES }, () => state.createInvite(guild.id, { uses: 0 }).code);
      return { id: guild.id, vanity, codes };
    });

    // --- The relay: each guild's delivered dispatches, in order, signed, with a stable id.
    let sequence = 0;
    const queues = new Map(guilds.map((g) => [g.id, [] as Array<{ id: string; t: string; d: unknown }>]));
    const draining = new Map<string, Promise<void>>();
    let failure: unknown = null;
    const drain = async (guildId: string) => {
      const queue = queues.get(guildId)!;
      for (let event = queue.shift(); event; event = queue.shift()) {
        const body = JSON.stringify(event);
        const response = await fetch(`${worker.url}/relay/events`, { method: "POST", headers: signedHeaders(RELAY_SECRET, body, Date.now()), body });
        if (response.status !== 202) throw new Error(`relay event ${event.id} answered ${response.status}: ${await response.text()}`);
      }
      draining.delete(guildId);
    };
    const relay = (guildId: string, t: string, d: unknown) => {
      queues.get(guildId)!.push({ id: `bench:${sequence++}`, t, d });
      if (!draining.has(guildId)) draining.set(guildId, drain(guildId).catch((error: unknown) => void (failure ??= error)));
    };

    // --- The naive bot (first guild): on each join, at once, one refetch of the invites and the
    // vanity count; exactly one code rose since the last answer, or unknown.
    const naiveGuild = guilds[0]!;
    const naive = new Map<string, string | null>();
    let naiveLast: Map<string, number> | null = null;
    const naivePending: Array<Promise<void>> = [];
    const get = async <T>(route: string) => {
      const response = await fetch(`${discord.apiBase}${route}${route.includes("?") ? "&" : "?"}client=${NAIVE_TAG}`, { headers: { Authorization: "Bot naive" } });
      if (!response.ok) throw new Error(`naive ${route} answered ${response.status}`);
      return (await response.json()) as T;
    };
    const naiveCounts = async () => {
      const [invites, vanity] = await Promise.all([
        get<Array<{ code: string; uses: number }>>(`/guilds/${naiveGuild.id}/invites`),
        get<{ code: string; uses: number }>(`/guilds/${naiveGuild.id}/vanity-url`),
      ]);
      return new Map([...invites.map((i) => [i.code, i.uses] as const), [vanity.code, vanity.uses]]);
    };
    const naiveOnJoin = (userId: string) =>
      naivePending.push(
        naiveCounts().then((after) => {
          const before = naiveLast;
          naiveLast = after;
          const rose = before ? [...after].filter(([code, n]) => n > (before.get(code) ?? 0)).map(([code]) => code) : [];
          naive.set(userId, rose.length === 1 ? rose[0]! : null);
        }, (error: unknown) => void (failure ??= error)),
      );

    state.events.on("delivered", (dispatch: Dispatch) => {
      if (!queues.has(dispatch.guild_id)) return;
      relay(dispatch.guild_id, dispatch.t, dispatch.d);
      if (dispatch.guild_id === naiveGuild.id && dispatch.t === "GUILD_MEMBER_ADD") naiveOnJoin((dispatch.d.user as { id: string }).id);
    });
    for (const g of guilds) relay(g.id, "GUILD_CREATE", { id: g.id, features: ["VANITY_URL"], vanity_url_code: g.vanity });
    naiveLast = await naiveCounts();
    const workerCalls = () => discord.requests.list().filter((r) => r.query.client !== NAIVE_TAG);
    await waitUntil("the bot's first look at each guild", 30_000, async () =>
      guilds.every((g) => workerCalls().some((r) => r.path === `/guilds/${g.id}/invites` && r.status === 200)),
    );

    // --- Play.
    const steps = plan(seed);
    progress(`e2e: playing ${steps.length} joins in each of two guilds (${Math.round(steps.at(-1)!.at / 1000)} s)`);
    const playStarted = Date.now();
    let users = 0;
    for (const step of steps) {
      const wait = playStarted + step.at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (const g of guilds) {
        const user = { id: snowflake(Date.now() + users), username: `bench${users++}` };
        const { route } = step;
        if ("invite" in route) state.joinViaInvite(g.codes[route.invite]!, user);
        else if ("vanity" in route) state.joinViaVanity(g.id, user);
        else if ("single" in route) state.joinViaInvite(state.createInvite(g.id, { max_uses: 1 }).code, user);
        else state.joinWithoutInvite(g.id, { user, join_source_type: JOINS_WITHOUT_INVITE[route.none] });
      }
    }
    if (failure) throw failure;

    // --- Every join has a row, and every unresolved one in the answering guild was looked up.
    progress("e2e: waiting for every verdict");
    type Row = { guild_id: string; user_id: string; method: string; invite_code: string | null };
    let rows: Row[] = [];
    const readRows = async () =>
      (await client.query<Row>("select guild_id, user_id, method, invite_code from invite_joins where guild_id = any($1)", [guilds.map((g) => g.id)])).rows;
    await waitUntil("every join recorded", 180_000, async () => (rows = await readRows()).length >= steps.length * 2, 1_000);
    // Verdicts may still be revised or looked up until the freeze window ends: wait until they stop changing.
    let last = "";
    let stableSince = Date.now();
    await waitUntil("verdicts to settle", 120_000, async () => {
      rows = await readRows();
      const now = JSON.stringify(rows.map((r) => [r.user_id, r.method, r.invite_code]).sort());
      if (now !== last) [last, stableSince] = [now, Date.now()];
      return Date.now() - stableSince > 15_000;
    }, 1_000);
    await Promise.all(naivePending);
    if (failure) throw failure;

    const truth = new Map(state.joins.map((j) => [j.user_id, j.invite_code]));
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    const score = (guildId: string) => {
      let correct = 0;
      let wrong = 0;
      let codeJoins = 0;
      for (const j of state.joins.filter((j) => j.guild_id === guildId)) {
        if (j.invite_code !== null) codeJoins++;
        const row = byUser.get(j.user_id);
        if (!row || row.method === "unresolved") continue;
        if (row.invite_code === j.invite_code) correct++;
        else wrong++;
      }
      return { correct, wrong, codeJoins };
    };
    const refused = score(guilds[0]!.id);
    const answering = score(guilds[1]!.id);
    let naiveRight = 0;
    let naiveAttributed = 0;
    for (const [userId, code] of naive) {
      if (code === null) continue;
      naiveAttributed++;
      if (truth.get(userId) === code) naiveRight++;
    }
    const round = (x: number) => Number(x.toFixed(3));
    const callsIn = (guildId: string) => workerCalls().filter((r) => r.path.startsWith(`/guilds/${guildId}/`) && !r.path.endsWith("members-search")).length;
    return {
      joins: steps.length,
      code_joins: refused.codeJoins,
      min_precision: round(Math.min(precision(refused), precision(answering))),
      diff_recall: round(refused.correct / refused.codeJoins),
      exact_recall: round(answering.correct / answering.codeJoins),
      naive_precision: round(naiveAttributed === 0 ? 1 : naiveRight / naiveAttributed),
      naive_recall: round(naiveRight / refused.codeJoins),
      calls_per_join: round(callsIn(guilds[0]!.id) / steps.length),
      naive_calls_per_join: round((2 * (steps.length + 1)) / steps.length),
      duration_s: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

const precision = (s: { correct: number; wrong: number }) => (s.correct + s.wrong === 0 ? 1 : s.correct / (s.correct + s.wrong));
