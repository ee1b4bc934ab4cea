/**
 * The stack bench/hardening runs against, all on 127.0.0.1: a migrated Postgres
 * behind the WebSocket proxy with its outage control, the Discord simulator, and
 * the Worker under `wrangler dev` with its Durable Objects persisted to a
 * directory, so that restarting it is a real eviction that keeps their storage.
 */
import { createPrivateKey, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import pg from "pg";
import { loadConfig } from "../../relay/config";
import { createLogger } from "../../relay/log";
import { startRelay } from "../../relay/relay";
import { signedHeaders } from "../../relay/signing";
import { freePort } from "../../scripts/lib/free-port";
import { generateInteractionKeys } from "../../scripts/lib/interactions";
import { startLocalWorker, type LocalWorker } from "../../scripts/lib/local-worker";
import { startMigratedDatabase, type MigratedDatabase } from "../../scripts/lib/migrated-database";
import { waitUntil } from "../../scripts/lib/wait";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import type { Dispatch, FakeDiscordState } from "../../simulator/state";
import { benchWorkerVars } from "./bench-worker";

/** At least 16 characters: the relay's own config refuses shorter ones. */
export const RELAY_SECRET = "bench-hardening-relay-secret";

export type RelayEventBody = { id: string; t: string; d: unknown };

/** What the Worker logged, by message: the evidence that a fault really hit it. */
export class WorkerLog {
  readonly counts = new Map<string, number>();
  readonly deadLetters: Array<{ guild: string; kind: string; reason: string }> = [];

  constructor(private readonly echo?: (line: string) => void) {}

  read(line: string): void {
    this.echo?.(line);
    // wrangler dev wraps console.error in colour codes and an "✘ [ERROR]" prefix: the JSON is between the outer braces.
    const plain = stripVTControlCharacters(line);
    const start = plain.indexOf("{");
    if (start < 0) return;
    let entry: { msg?: unknown; guild?: unknown; kind?: unknown; reason?: unknown };
    try {
      entry = JSON.parse(plain.slice(start, plain.lastIndexOf("}") + 1)) as typeof entry;
    } catch {
      return;
    }
    if (typeof entry.msg !== "string") return;
    this.counts.set(entry.msg, (this.counts.get(entry.msg) ?? 0) + 1);
    if (entry.msg.startsWith("outbox item dead-lettered")) {
      this.deadLetters.push({ guild: String(entry.guild), kind: String(entry.kind), reason: String(entry.reason) });
    }
  }

  count(prefix: string): number {
    let n = 0;
    for (const [msg, count] of this.counts) if (msg.startsWith(prefix)) n += count;
    return n;
  }
}

export interface HardeningStack {
  discord: FakeDiscord;
  database: MigratedDatabase;
  client: pg.Client;
  /** Stable across restarts: the relay keeps forwarding to the same address. */
  url: string;
  log: WorkerLog;
  /** Signs interactions as Discord would: the Worker holds its public half. */
  interactionsPrivateKeyPem: string;
  /** Stops wrangler dev (workerd and every Durable Object in memory) and starts it again on the same storage. */
  restartWorker(): Promise<void>;
  /** `down`: every Postgres connection dropped and new ones refused; `freeze`: connections stay open, no byte passes. */
  databaseOutage(kind: "down" | "freeze", on: boolean): Promise<void>;
  /** One signed POST /relay/events, as the relay sends it. */
  post(event: RelayEventBody): Promise<{ status: number; duplicate?: boolean }>;
  /** One interaction, signed as Discord signs it. */
  interact(interaction: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startHardeningStack(progress: (line: string) => void, seed: number): Promise<HardeningStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const database = await startMigratedDatabase({ outageControl: true });
    stops.push(() => database.stop());
    const discord = await startFakeDiscord({ seed });
    stops.push(() => discord.close());
    const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "invites-hardening-do-"));
    stops.push(async () => fs.rmSync(persistTo, { recursive: true, force: true }));
    const log = new WorkerLog(process.env.BENCH_VERBOSE ? (line) => progress(`[worker] ${line}`) : undefined);
    const port = await freePort();
    const keys = generateInteractionKeys();
    const privateKey = createPrivateKey(keys.privateKeyPem);
    const start = () =>
      startLocalWorker({
        vars: { ...benchWorkerVars(database, discord.apiBase, RELAY_SECRET), DISCORD_PUBLIC_KEY: keys.publicKeyHex },
        persistTo,
        port,
        log: (line) => log.read(line),
      });
    let worker: LocalWorker = await start();
    stops.push(() => worker.stop());
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    stops.push(() => client.end());
    return {
      discord,
      database,
      client,
      url: worker.url,
      log,
      interactionsPrivateKeyPem: keys.privateKeyPem,
      async restartWorker() {
        await worker.stop();
        worker = await start();
      },
      async databaseOutage(kind, on) {
        const response = await fetch(`http://${database.wsProxy}/_control/outage?${kind}=${on ? 1 : 0}`, { method: "POST" });
        if (response.status !== 204) throw new Error(`outage control answered ${response.status}`);
      },
      async post(event) {
        const body = JSON.stringify(event);
        const response = await fetch(`${worker.url}/relay/events`, { method: "POST", headers: signedHeaders(RELAY_SECRET, body, Date.now()), body });
        const text = await response.text();
        const duplicate = response.status === 202 ? (JSON.parse(text) as { duplicate?: boolean }).duplicate : undefined;
        return { status: response.status, duplicate };
      },
      interact(interaction) {
        const body = JSON.stringify(interaction);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
        return fetch(`${worker.url}/interactions`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp },
          body,
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Calls `onDispatch` synchronously with each dispatch of `guildIds` as it happens (not when the gateway delivers it). */
export function onDispatch(state: FakeDiscordState, guildIds: ReadonlySet<string>, handle: (dispatch: Dispatch) => void): () => void {
  const listener = (dispatch: Dispatch) => {
    if (guildIds.has(dispatch.guild_id)) handle(dispatch);
  };
  state.events.on("dispatch", listener);
  return () => state.events.off("dispatch", listener);
}

export interface JoinTally {
  expected: number;
  /** Joins with no invite_joins row. */
  lost: number;
  /** Rows beyond one per (guild, user): each bench user joins once. */
  doubled: number;
  /** Rows for users the bench never joined. */
  stray: number;
}

/** Counts invite_joins rows against the joins that happened. */
export async function tallyJoins(client: pg.Client, joins: ReadonlyArray<{ guild_id: string; user_id: string }>): Promise<JoinTally> {
  const guilds = [...new Set(joins.map((j) => j.guild_id))];
  const { rows } = await client.query<{ guild_id: string; user_id: string; n: number }>(
    "select guild_id, user_id, count(*)::int as n from invite_joins where guild_id = any($1) group by guild_id, user_id",
    [guilds],
  );
  const counts = new Map(rows.map((r) => [`${r.guild_id}:${r.user_id}`, r.n]));
  const wanted = new Set(joins.map((j) => `${j.guild_id}:${j.user_id}`));
  let lost = 0;
  for (const key of wanted) if (!counts.has(key)) lost++;
  let doubled = 0;
  let stray = 0;
  for (const [key, n] of counts) {
    doubled += n - 1;
    if (!wanted.has(key)) stray++;
  }
  return { expected: wanted.size, lost, doubled, stray };
}

/**
 * Waits until every join has its row, or `timeoutMs` passes; `nudge` runs once
 * if nothing has moved for `nudgeAfterMs` (e.g. the cron a deployment runs).
 */
export async function settleJoins(
  client: pg.Client,
  joins: ReadonlyArray<{ guild_id: string; user_id: string }>,
  options: { timeoutMs: number; nudgeAfterMs?: number; nudge?: () => Promise<void> },
): Promise<JoinTally & { settle_s: number; nudged: boolean }> {
  const started = Date.now();
  let tally = await tallyJoins(client, joins);
  let lastProgress = Date.now();
  let nudged = false;
  await waitUntil("", options.timeoutMs, async () => {
    const next = await tallyJoins(client, joins);
    if (next.lost < tally.lost) lastProgress = Date.now();
    tally = next;
    if (tally.lost > 0 && !nudged && options.nudge && Date.now() - lastProgress > (options.nudgeAfterMs ?? Infinity)) {
      nudged = true;
      await options.nudge();
    }
    return tally.lost === 0;
  }, 1_000).catch(() => undefined);
  return { ...tally, settle_s: Math.round((Date.now() - started) / 1000), nudged };
}

/** The real relay (relay/relay.ts, its spool, retries and backoff) between the simulator's gateway and the Worker. */
export function startBenchRelay(stack: HardeningStack, spoolDir: string, progress: (line: string) => void) {
  return startRelay(
    loadConfig({
      DISCORD_BOT_TOKEN: "bench",
      DISCORD_API_BASE: stack.discord.apiBase,
      RELAY_TARGET_URL: `${stack.url}/relay/events`,
      RELAY_SECRET,
      RELAY_SPOOL_PATH: path.join(spoolDir, "spool"),
      RELAY_HEALTH_PORT: "0",
      // Production's backoff tops out at 30 s; shorter here so a 10-second outage does not idle the bench for 30.
      RELAY_BACKOFF_BASE_MS: "200",
      RELAY_BACKOFF_MAX_MS: "4000",
    }),
    createLogger("error", (line) => (process.env.BENCH_VERBOSE ? progress(`[relay] ${line.trim()}`) : undefined)),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
