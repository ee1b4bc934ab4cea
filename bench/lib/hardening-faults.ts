/**
 * Faults over 1,000 joins. The joins happen in the simulator (three guilds, a few
 * invites, one vanity URL) and reach the Worker the way production's do: the
 * simulator's gateway delivers them late and in order, and the real relay
 * (relay/relay.ts, with its spool, backoff and retries) forwards them. Meanwhile,
 * at random and on a schedule: Discord answers 429 and 5xx on the invite list and
 * the vanity URL, or is slow; Postgres is cut off, then frozen; `wrangler dev` is
 * restarted (every Durable Object evicted, storage kept); the gateway connection
 * drops (the relay resumes); some events are delivered twice. One join is a
 * poison row: a check constraint, added for this run, makes Postgres refuse it
 * for good, so the Durable Object must set it aside and let the rest flow.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { toRelayEvent } from "../../relay/mapping";
import type { Relay } from "../../relay/relay";
import { waitUntil } from "../../scripts/lib/wait";
import { REALISTIC } from "../../simulator/behaviour";
import { snowflake } from "../../simulator/ids";
import { JOINS_WITHOUT_INVITE } from "../../simulator/state";
import { prng } from "./prng";
import { settleJoins, sleep, startBenchRelay, type HardeningStack } from "./hardening-stack";

export interface FaultReport {
  joins: number;
  lost: number;
  doubled: number;
  /** Rows for users that never joined (must be 0). */
  stray: number;
  /** The poison join: 1 when its row was dead-lettered (and not written). */
  poison_dead_lettered: number;
  poison_written: number;
  /** What was injected. */
  injected: Record<string, number>;
  /** What the Worker logged: proof that the faults reached it. */
  worker_saw: Record<string, number>;
  duplicates_answered_fresh: number;
  relay_parked: number;
  settle_s: number;
  cron_nudged: boolean;
  duration_s: number;
}

const INVITES_PER_GUILD = 4;
const POISON_CONSTRAINT = "bench_hardening_poison";

export async function runFaults(stack: HardeningStack, progress: (line: string) => void, options: { joins: number; seed: number }): Promise<FaultReport> {
  const started = Date.now();
  const rng = prng(options.seed);
  const { state, limiter, gateway } = stack.discord;
  const guilds = [0, 1, 2].map((i) => {
    const vanity = i === 0 ? `hardening${options.seed}` : null;
    const guild = state.createGuild({ name: `Hardening faults ${i}`, ...(vanity ? { features: ["VANITY_URL"], vanity_url_code: vanity } : {}) });
    const codes = Array.from({ length: INVITES_PER_GUILD }, () => state.createInvite(guild.id, { uses: 0 }).code);
    return { id: guild.id, vanity, codes };
  });
  const guildIds = new Set(guilds.map((g) => g.id));

  // The poison row: Postgres refuses this one user's join with SQLSTATE 23514, a class retrying cannot fix.
  const poisonUser = snowflake();
  await stack.client.query(`alter table invite_joins add constraint ${POISON_CONSTRAINT} check (user_id <> '${poisonUser}') not valid`);

  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-hardening-spool-"));
  let relay: Relay | null = null;
  const injected: Record<string, number> = {};
  const inject = (what: string) => (injected[what] = (injected[what] ?? 0) + 1);
  try {
    relay = await startBenchRelay(stack, spoolDir, progress);
    const { spool } = relay;
    const firstLook = () => guilds.every((g) => stack.discord.requests.list().some((r) => r.path === `/guilds/${g.id}/invites` && r.status === 200));
    await waitUntil("the relay's GUILD_CREATEs and the Worker's first look at each guild", 60_000, firstLook);

    let playing = true;
    const tasks: Array<Promise<void>> = [];
    const at = (ms: number, what: string, run: () => Promise<void>) =>
      tasks.push(
        sleep(ms).then(async () => {
          progress(`faults: ${what}`);
          inject(what);
          await run();
        }),
      );

    // --- Scheduled faults, spread over the ~75 s of joins.
    const cut = (kind: "down" | "freeze", ms: number) => async () => {
      await stack.databaseOutage(kind, true);
      await sleep(ms);
      await stack.databaseOutage(kind, false);
    };
    at(9_000, "postgres cut off for 8 s", cut("down", 8_000));
    at(24_000, "wrangler dev restarted (Durable Objects evicted)", async () => {
      const t0 = Date.now();
      await stack.restartWorker();
      progress(`faults: the Worker was away for ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
    at(40_000, "postgres frozen for 6 s", cut("freeze", 6_000));
    at(50_000, "discord slow (2-6 s answers) for 8 s", async () => {
      for (const g of guilds) state.behaviours.patch(g.id, { rest_latency_ms: [2_000, 6_000] });
      await sleep(8_000);
      for (const g of guilds) state.behaviours.patch(g.id, { rest_latency_ms: REALISTIC.rest_latency_ms });
    });
    at(56_000, "gateway connection dropped (the relay resumes)", async () => gateway.dropConnection());
    at(62_000, "postgres cut off for 5 s while wrangler dev restarts", async () => {
      await stack.databaseOutage("down", true);
      await stack.restartWorker();
      await sleep(2_000);
      await stack.databaseOutage("down", false);
    });

    // --- Discord errors at random: windows of 1-6 s in which a route answers 429 (with retry_after) or
    // 500/502/503, on the invite list and the vanity URL. The simulator fails the next N matching
    // requests, so a window keeps one failure armed while it lasts and, when it closes, takes back an
    // unserved one with a request of its own: a backing-off Worker must not meet it minutes later.
    const failed = (prefix: string) => stack.discord.requests.list({ path_prefix: prefix, method: "GET" }).filter((r) => r.status >= 429).length;
    const open = new Set<string>();
    const window = async (prefix: string, ms: number, arm: () => void) => {
      open.add(prefix);
      const end = Date.now() + ms;
      let owed = 0;
      while (Date.now() < end) {
        if (failed(prefix) >= owed) {
          owed = failed(prefix) + 1;
          arm();
        }
        await sleep(50);
      }
      if (failed(prefix) < owed) await fetch(`${stack.discord.apiBase}${prefix}`, { headers: { Authorization: "Bot bench" } }).then((r) => r.arrayBuffer());
      open.delete(prefix);
    };
    tasks.push(
      (async () => {
        const windows: Array<Promise<void>> = [];
        while (playing) {
          await sleep(rng.int(1_000, 3_000));
          const g = rng.pick(guilds);
          const target = g.vanity && rng.next() < 0.35 ? "vanity-url" : "invites";
          const prefix = `/guilds/${g.id}/${target}`;
          if (open.has(prefix)) continue;
          const ms = rng.int(1_000, 6_000);
          if (rng.next() < 0.5) {
            const retryAfter = rng.int(2, 30) / 10;
            windows.push(window(prefix, ms, () => limiter.forceRateLimit({ method: "GET", path_prefix: prefix, count: 1, retry_after: retryAfter })));
            inject(`discord 429 on ${target}`);
          } else {
            const status = rng.pick([500, 502, 503]);
            windows.push(window(prefix, ms, () => limiter.forceFailure({ method: "GET", path_prefix: prefix, count: 1, status })));
            inject(`discord 5xx on ${target}`);
          }
        }
        await Promise.all(windows);
      })(),
    );

    // --- Duplicate deliveries: an event the relay has already had accepted, sent again with its id
    // (as a relay that crashed before writing its acknowledgement would). Only events dispatched at
    // least a tick ago, of guilds whose spool is empty while the gateway is up, are sure to be past.
    let duplicatesFresh = 0;
    tasks.push(
      (async () => {
        let settledBefore = gateway.dispatched.length;
        let connectedBefore = gateway.connected();
        while (playing) {
          await sleep(1_000);
          const connected = gateway.connected();
          const candidates = gateway.dispatched
            .slice(Math.max(0, settledBefore - 60), settledBefore)
            .filter((e) => {
              const guild = String(e.t === "GUILD_CREATE" ? e.d.id : e.d.guild_id);
              return guildIds.has(guild) && spool.depth(guild) === 0;
            });
          if (connected && connectedBefore && candidates.length > 0) {
            for (let i = rng.int(0, 3); i > 0; i--) {
              const e = rng.pick(candidates);
              const event = toRelayEvent({ t: e.t, s: e.s, d: e.d }, e.sessionId)!;
              const answer = await postUntilAccepted(stack, event);
              inject("duplicate deliveries");
              if (answer.duplicate === false) duplicatesFresh++;
            }
          }
          settledBefore = gateway.dispatched.length;
          connectedBefore = connected;
        }
      })(),
    );

    // --- The joins: a Poisson stream over ~75 s, through the invites, the vanity URL, or nothing countable.
    progress(`faults: ${options.joins} joins across ${guilds.length} guilds`);
    const meanGapMs = 75_000 / options.joins;
    const poisonAt = Math.floor(options.joins / 2);
    for (let i = 0; i < options.joins; i++) {
      await sleep(-meanGapMs * Math.log(1 - rng.next()));
      const g = i === poisonAt ? guilds[1]! : rng.pick(guilds);
      const user = { id: i === poisonAt ? poisonUser : snowflake(), username: `fault${i}` };
      const x = rng.next();
      if (i !== poisonAt && x < 0.05) state.joinWithoutInvite(g.id, { user, join_source_type: JOINS_WITHOUT_INVITE.discovery });
      else if (g.vanity && x < 0.25) state.joinViaVanity(g.id, user);
      else state.joinViaInvite(g.codes[Math.min(INVITES_PER_GUILD - 1, Math.floor(-1.5 * Math.log(1 - rng.next())))]!, user);
    }
    playing = false;
    await Promise.all(tasks);
    await stack.databaseOutage("down", false);
    await stack.databaseOutage("freeze", false);

    progress("faults: waiting for the relay to drain and every join to land");
    await waitUntil("the relay's spool to drain", 120_000, () => spool.depth() === 0);
    const joins = state.joins.filter((j) => guildIds.has(j.guild_id));
    const expected = joins.filter((j) => j.user_id !== poisonUser);
    // A deployment's cron reconciles every guild every 5 minutes and wakes each guild's object once an hour;
    // it is run (an hour's twelve periods at once) only if the rows stop coming.
    const settled = await settleJoins(stack.client, expected, {
      timeoutMs: 180_000,
      nudgeAfterMs: 45_000,
      nudge: async () => {
        progress("faults: rows stopped coming; running the cron's last hour");
        for (let k = 0; k < 12; k++) {
          await fetch(`${stack.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}&time=${Date.now() - k * 5 * 60_000}`);
        }
      },
    });
    injected["discord requests answered 429/5xx"] = guilds.reduce((n, g) => n + failed(`/guilds/${g.id}/`), 0);
    const poisonRows = await stack.client.query("select 1 from invite_joins where user_id = $1", [poisonUser]);
    const poisonLetters = stack.log.deadLetters.filter((d) => d.guild === guilds[1]!.id && d.reason.includes(POISON_CONSTRAINT));
    return {
      joins: joins.length,
      lost: settled.lost,
      doubled: settled.doubled,
      stray: settled.stray - (poisonRows.rowCount ?? 0),
      poison_dead_lettered: Math.min(1, poisonLetters.length),
      poison_written: poisonRows.rowCount ?? 0,
      injected,
      worker_saw: {
        refetch_failures: stack.log.count("invite refetch failed"),
        flush_failures: stack.log.count("outbox flush failed"),
        dead_letters: stack.log.deadLetters.length,
      },
      duplicates_answered_fresh: duplicatesFresh,
      relay_parked: spool.parkedCount(),
      settle_s: settled.settle_s,
      cron_nudged: settled.nudged,
      duration_s: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await relay?.stop().catch(() => undefined);
    fs.rmSync(spoolDir, { recursive: true, force: true });
    await stack.client.query(`alter table invite_joins drop constraint if exists ${POISON_CONSTRAINT}`).catch(() => undefined);
  }
}

/** Sends until a 202, retrying 5xx and network errors as the relay does (a 4xx is final). */
export async function postUntilAccepted(stack: HardeningStack, event: { id: string; t: string; d: unknown }, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const answer = await stack.post(event).catch(() => ({ status: 0, duplicate: undefined }));
    if (answer.status === 202 || (answer.status >= 400 && answer.status < 500 && answer.status !== 429) || Date.now() > deadline) return answer;
    await sleep(Math.min(4_000, 200 * 2 ** attempt) * Math.random());
  }
}
