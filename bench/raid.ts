/**
 * A raid on one guild (issue 20), through the real relay, the Worker under
 * `wrangler dev`, the guild's Durable Object and Postgres, with the simulator at
 * its realistic latency and member search refused. Members join through one
 * invite (10 % through Discovery) at a steady rate for BENCH_RAID_SECONDS
 * (default 60) per rate of BENCH_RAID_RATES (default 50,100,200,300; each in a
 * guild of its own), then 1,000 join in 5 s. Raid alerts are on (threshold
 * 100 a minute), so the detector's cost is in the figures. Prints one JSON line:
 *   sustained_joins_per_s   the highest rate whose lag stayed bounded: every row written within DRAIN_S of the
 *                           last join, and the last quarter's p99 lag under BOUND_MS
 *   lag_p50_ms, lag_p99_ms  from the join (Discord's joined_at) to its row in Postgres, at 200 joins/s
 *   snapshots_per_s         the object's invite fetches answered per second while the joins played, at 200/s
 *   max_pending             the most joins waiting for a verdict (GET /health/guilds/<id>), at 200/s
 *   lost, doubled           joins with no row, rows beyond one per join, over every phase
 *   object_cpu_ms_per_event workerd's CPU time (the Worker and its objects) per join, at 200/s
 *   burst_1000_absorbed_s   1,000 joins in 5 s: from the first join until every row is written
 *   diff_recall, naive_recall  of the invite joins at 200/s, the share the diff named rightly, and the share
 *                           a naive bot (one refetch per join, first code that rose) named rightly on the same stream
 * and a `rates` detail per rate. Progress goes to stderr; a row not written within DRAIN_S is counted as lag up to then.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { signBody } from "../relay/signing";
import { inviteInteraction, opt } from "../simulator/interaction-payload";
import { join } from "../simulator/play";
import type { JoinRecord } from "../simulator/state";
import { naiveAttribute, type InviteCount } from "../worker/attribution/naive";
import { waitUntil } from "../scripts/lib/wait";
import { percentile } from "./lib/percentile";
import { prng } from "./lib/prng";
import { RELAY_SECRET, settleJoins, sleep, startBenchRelay, startHardeningStack, tallyJoins, type HardeningStack } from "./lib/hardening-stack";

const SECONDS = Number(process.env.BENCH_RAID_SECONDS ?? 60);
const RATES = (process.env.BENCH_RAID_RATES ?? "50,100,200,300").split(",").map(Number);
const MEASURED_RATE = 200;
const DISCOVERY_SHARE = 0.1;
const BURST = { joins: 1_000, seconds: 5 };
const DRAIN_S = Number(process.env.BENCH_RAID_DRAIN_S ?? 60);
/** After a phase is measured, its backlog may drain this long before the next starts (each phase on a quiet Worker). */
const SETTLE_S = Number(process.env.BENCH_RAID_SETTLE_S ?? 300);
const BOUND_MS = 10_000;
const SEED = Number(process.env.BENCH_SEED ?? 20261203);
const NAIVE_TAG = "naive-raid";

/** Naive verdicts (user → code or null) of the measured phase's stream. */
const naive = new Map<string, string | null>();

const started = Date.now();
const progress = (line: string) => process.stderr.write(`[raid ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

interface Phase {
  guildId: string;
  code: string;
  joins: JoinRecord[];
  /** User id → when its row was first seen in Postgres. */
  seen: Map<string, { at: number; method: string; code: string | null }>;
  maxPending: number;
  playedFrom: number;
  playedTo: number;
  /** When the measurement stopped: a row not written by then counts as lag up to it. */
  measuredTo: number;
  cpuMs: number;
}

progress("starting Postgres, the simulator and wrangler dev");
const stack = await startHardeningStack(progress, SEED);
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-raid-spool-"));
try {
  const { state } = stack.discord;
  const guildOf = (name: string) => {
    const guild = state.createGuild({ name });
    state.behaviours.patch(guild.id, { member_search: "refuse" });
    const code = state.createInvite(guild.id, { uses: 0 }).code;
    const channel = [...state.channels.values()].find((c) => c.guild_id === guild.id)!;
    return { guildId: guild.id, code, channelId: channel.id };
  };
  const guilds = [...RATES.map((rate) => guildOf(`Raid at ${rate}/s`)), guildOf("Raid burst")];
  const relay = await startBenchRelay(stack, spoolDir, progress);
  const workerFetched = (guildId: string) => stack.discord.requests.list({ path_prefix: `/guilds/${guildId}/invites`, method: "GET" }).filter((r) => r.status === 200 && r.query.client !== NAIVE_TAG);
  await waitUntil("the Worker's first look at each guild", 90_000, () => guilds.every((g) => workerFetched(g.guildId).length > 0));
  for (const g of guilds) {
    const settings = inviteInteraction("settings", [opt.channel("raid_alert_channel", g.channelId), opt.int("raid_threshold", 100)], {
      id: String(BigInt(Date.now()) << 22n),
      applicationId: "100000000000000001",
      guildId: g.guildId,
      channelId: g.channelId,
      userId: "200000000000000001",
    });
    const answered = await stack.interact(settings);
    if (answered.status !== 200) throw new Error(`/invite settings answered ${answered.status}`);
  }

  const rng = prng(SEED);
  const results = new Map<number, Phase>();
  for (const [i, rate] of RATES.entries()) {
    progress(`${rate} joins/s for ${SECONDS} s`);
    const phase = await play(stack, guilds[i]!, rate, SECONDS, rng, rate === MEASURED_RATE);
    results.set(rate, phase);
    const bounded = isBounded(phase);
    progress(`${rate}/s: ${bounded ? "bounded" : "NOT bounded"}; p99 lag ${lags(phase).p99} ms, ${phase.joins.length - phase.seen.size} rows missing`);
    if (!bounded && rate >= MEASURED_RATE) break;
  }
  progress(`burst: ${BURST.joins} joins in ${BURST.seconds} s`);
  const burst = await play(stack, guilds.at(-1)!, BURST.joins / BURST.seconds, BURST.seconds, rng, false);
  const burstAll = burst.seen.size === burst.joins.length;
  const burstAbsorbedS = burstAll ? (Math.max(...[...burst.seen.values()].map((s) => s.at)) - burst.playedFrom) / 1000 : null;

  const phases = [...results.values(), burst];
  const tally = await tallyJoins(stack.client, phases.flatMap((p) => p.joins));
  const sustained = Math.max(0, ...[...results].filter(([, p]) => isBounded(p)).map(([rate]) => rate));
  const measured = results.get(MEASURED_RATE);
  const invitesOf = (p: Phase) => p.joins.filter((j) => j.via === "invite");
  const recall = (p: Phase, named: (j: JoinRecord) => string | null | undefined) => {
    const through = invitesOf(p);
    return round(through.filter((j) => named(j) === j.invite_code).length / Math.max(1, through.length), 3);
  };
  console.log(
    JSON.stringify({
      sustained_joins_per_s: sustained,
      lag_p50_ms: measured ? lags(measured).p50 : null,
      lag_p99_ms: measured ? lags(measured).p99 : null,
      snapshots_per_s: measured ? round(workerFetched(measured.guildId).filter((r) => inside(measured, Date.parse(r.time))).length / ((measured.playedTo - measured.playedFrom) / 1000), 2) : null,
      max_pending: measured?.maxPending ?? null,
      lost: tally.lost,
      doubled: tally.doubled,
      object_cpu_ms_per_event: measured ? round(measured.cpuMs / measured.joins.length, 3) : null,
      burst_1000_absorbed_s: burstAbsorbedS === null ? null : round(burstAbsorbedS, 1),
      diff_recall: measured ? recall(measured, (j) => (measured.seen.get(j.user_id)?.method === "diff" ? measured.seen.get(j.user_id)!.code : null)) : null,
      naive_recall: measured ? recall(measured, (j) => naive.get(j.user_id)) : null,
      rates: Object.fromEntries(
        [...results].map(([rate, p]) => [rate, { bounded: isBounded(p), joins: p.joins.length, written: p.seen.size, ...lags(p), max_pending: p.maxPending }]),
      ),
      burst_written: burst.seen.size,
      stray: tally.stray,
      seconds_per_rate: SECONDS,
      duration_s: Math.round((Date.now() - started) / 1000),
    }),
  );
  await relay.stop();
} finally {
  await stack.stop();
  fs.rmSync(spoolDir, { recursive: true, force: true });
}

/**
 * Plays `rate` joins a second for `seconds` into one guild, then waits up to
 * DRAIN_S for their rows, sampling the object's pending joins and Postgres.
 * With `naiveBot`, a naive bot refetches the invites on each join's delivery.
 */
async function play(stack: HardeningStack, guild: { guildId: string; code: string }, rate: number, seconds: number, rng: ReturnType<typeof prng>, naiveBot: boolean): Promise<Phase> {
  const { state } = stack.discord;
  const phase: Phase = { guildId: guild.guildId, code: guild.code, joins: [], seen: new Map(), maxPending: 0, playedFrom: Date.now(), playedTo: 0, measuredTo: 0, cpuMs: 0 };
  const stopNaive = naiveBot ? naiveBotOn(stack, guild.guildId) : () => undefined;
  const cpu = workerdCpu();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      cpu.sample();
      await Promise.all([readRows(stack, phase), readPending(stack, phase)]).catch((error: unknown) => progress(`sample failed: ${String(error)}`));
      await sleep(500);
    }
  })();
  const total = Math.round(rate * seconds);
  while (phase.joins.length < total) {
    const due = Math.min(total, Math.floor(((Date.now() - phase.playedFrom) / 1000) * rate) + 1);
    while (phase.joins.length < due) {
      const way = rng.next() < DISCOVERY_SHARE ? "discovery" : guild.code;
      phase.joins.push(join(state, guild.guildId, way, state.accounts.newcomer(state.now())));
    }
    await sleep(20);
  }
  phase.playedTo = Date.now();
  const deadline = Date.now() + DRAIN_S * 1000;
  while (phase.seen.size < phase.joins.length && Date.now() < deadline) await sleep(500);
  sampling = false;
  await sampler;
  await readRows(stack, phase);
  phase.measuredTo = Date.now();
  phase.cpuMs = cpu.sample();
  stopNaive();
  if (phase.seen.size < phase.joins.length) {
    progress(`${phase.joins.length - phase.seen.size} rows still missing: letting the backlog drain (up to ${SETTLE_S} s)`);
    await settleJoins(stack.client, phase.joins, { timeoutMs: SETTLE_S * 1000 });
  }
  return phase;
}

async function readRows(stack: HardeningStack, phase: Phase) {
  const { rows } = await stack.client.query<{ user_id: string; method: string; invite_code: string | null }>(
    "select user_id, method, invite_code from invite_joins where guild_id = $1",
    [phase.guildId],
  );
  const now = Date.now();
  for (const r of rows) if (!phase.seen.has(r.user_id)) phase.seen.set(r.user_id, { at: now, method: r.method, code: r.invite_code });
}

/** The object's pending joins, from GET /health/guilds/<id> signed as the relay signs. */
async function readPending(stack: HardeningStack, phase: Phase) {
  const route = `/health/guilds/${phase.guildId}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${stack.url}${route}`, { headers: { "X-Relay-Timestamp": String(timestamp), "X-Relay-Signature": signBody(RELAY_SECRET, timestamp, route) } });
  if (!response.ok) return;
  const { pendingJoins } = (await response.json()) as { pendingJoins?: number };
  phase.maxPending = Math.max(phase.maxPending, pendingJoins ?? 0);
}

/** Join → row, in ms; a join with no row counts up to the measurement's end. */
function lags(phase: Phase, from = 0) {
  const all = phase.joins.slice(from).map((j) => (phase.seen.get(j.user_id)?.at ?? phase.measuredTo) - Date.parse(j.joined_at)).sort((a, b) => a - b);
  return all.length === 0 ? { p50: null, p99: null } : { p50: Math.round(percentile(all, 50)), p99: Math.round(percentile(all, 99)) };
}

/** Every row within the drain, and the last quarter's p99 under BOUND_MS: the object did not fall behind. */
function isBounded(phase: Phase): boolean {
  const tail = lags(phase, Math.floor(phase.joins.length * 0.75)).p99;
  return phase.seen.size === phase.joins.length && tail !== null && tail < BOUND_MS;
}

function inside(phase: Phase, at: number) {
  return at >= phase.playedFrom && at <= phase.playedTo;
}

function round(n: number, digits: number) {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** The naive rule most bots use, on the same deliveries: one invite refetch per join. */
function naiveBotOn(stack: HardeningStack, guildId: string): () => void {
  const { state } = stack.discord;
  let last: InviteCount[] | null = null;
  const listener = (dispatch: { guild_id: string; t: string; d: Record<string, unknown> }) => {
    if (dispatch.guild_id !== guildId || dispatch.t !== "GUILD_MEMBER_ADD") return;
    const userId = (dispatch.d.user as { id: string }).id;
    fetch(`${stack.discord.apiBase}/guilds/${guildId}/invites?client=${NAIVE_TAG}`, { headers: { Authorization: "Bot naive" } })
      .then(async (response) => {
        // Refused (429 under the raid): the naive bot names nobody.
        if (!response.ok) return naive.set(userId, null);
        const after = (await response.json()) as InviteCount[];
        naive.set(userId, last ? naiveAttribute(last, after) : null);
        last = after;
      })
      .catch(() => naive.set(userId, null));
  };
  state.events.on("delivered", listener);
  return () => state.events.off("delivered", listener);
}

/**
 * CPU time (user + system) of the workerd processes under this one: the Worker
 * and its Durable Objects. Sampled per process, so one that ends (or starts)
 * mid-phase adds what it used while seen. `sample()` returns the total so far.
 */
function workerdCpu() {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = () => {
    for (const [pid, ms] of workerdProcesses()) {
      if (!first.has(pid)) first.set(pid, ms);
      last.set(pid, ms);
    }
    let total = 0;
    for (const [pid, ms] of last) total += ms - first.get(pid)!;
    return total;
  };
  sample();
  return { sample };
}

/** pid → CPU ms of each workerd process descended from this one. */
function workerdProcesses(): Map<number, number> {
  const parent = new Map<number, number>();
  const cpu = new Map<number, { comm: string; ms: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
      cpu.set(Number(entry), { comm, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 });
    } catch {
      // The process ended while being read.
    }
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return new Map([...cpu].filter(([pid, { comm }]) => comm.startsWith("workerd") && under(pid)).map(([pid, { ms }]) => [pid, ms]));
}
