// npm start: the whole bot on this machine. Embedded Postgres (data under
// .data/), migrations, the WebSocket proxy, the Worker under wrangler dev, the
// gateway relay and, without Discord credentials in .dev.vars, the Discord
// simulator with a seeded guild. It fires wrangler.toml's crons on their
// schedule, as Cloudflare would. Ctrl-C stops everything it started.
// The simulator is as slow as Discord unless told otherwise: SIM_LATENCY=off,
// SIM_MEMBER_SEARCH=refuse (as Discord may answer any bot), SIM_SEED=<n> to replay a run.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fireScheduled, runCrons, type CronRunner } from "./lib/cron-runner";
import { cronsInWranglerToml, parseCron, type Cron } from "./lib/cron-schedule";
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "../simulator/server";
import { readGuildSnapshot, restoreGuild, snapshotGuild, writeGuildSnapshot } from "../simulator/guild-snapshot";
import { seedSimulatedGuild, type SimulatedGuild } from "../simulator/seed";
import { readDevVars } from "./lib/dev-vars";
import { generateInteractionKeys } from "./lib/interactions";
import { startLocalWorker, type LocalWorker } from "./lib/local-worker";
import { runMigrations } from "./lib/migrate";
import { keepPostgresRunning, type KeptPostgres, type PostgresEvent } from "./lib/postgres-process";
import { stackPorts } from "./lib/stack-ports";
import { ROOT } from "./lib/local-stack-paths";
import { dataDir, readStackState, removeStackState, writeStackState, type StackState } from "./lib/stack-state";
import { processAlive, signalGroup, supervise, type Supervised } from "./lib/supervised";
import { startWsProxy, type WsProxy } from "./lib/ws-proxy";
import { waitUntil } from "./lib/wait";

const startedAt = performance.now();
const dir = dataDir();
const logs = path.join(dir, "logs");
fs.mkdirSync(logs, { recursive: true });
// As root, Postgres runs as the `postgres` user, which must be able to reach its data directory.
if (process.getuid?.() === 0) fs.chmodSync(dir, 0o755);
const say = (line: string) => process.stdout.write(`${line}\n`);
const shown = (p: string) => (path.relative(process.cwd(), p).startsWith("..") ? p : path.relative(process.cwd(), p) || p);

const previous = readStackState(dir);
if (previous && processAlive(previous.pid)) {
  say(`A stack is already running from ${shown(dir)} (pid ${previous.pid}); stop it first (Ctrl-C in its terminal).`);
  process.exit(1);
}

const devVars = readDevVars(process.env.INVITES_DEV_VARS);
const simulated = !devVars.DISCORD_BOT_TOKEN;
const ports = await stackPorts();
const crons = wranglerCrons();

let postgres: KeptPostgres | null = null;
let proxy: WsProxy | null = null;
let simulator: FakeDiscord | null = null;
let worker: LocalWorker | null = null;
let relay: Supervised | null = null;
let cronRunner: CronRunner | null = null;
/** The simulated guild, and whether it was kept from an earlier start of this data directory. */
let simulatedGuild: { guild: SimulatedGuild; kept: boolean } | null = null;
const savedGuildFile = path.join(dir, "simulator-guild.json");
let stopping: Promise<void> | null = null;
/** Written once the stack is up; kept current when Postgres is restarted. */
let stackState: StackState | null = null;

/**
 * Stops in reverse order of dependence: the relay flushes to the Worker, the
 * Worker to Postgres. A terminal's Ctrl-C also reaches npm and tsx, which pass
 * signals on: every later signal waits for the same shutdown.
 */
function shutdown(signal: string): Promise<void> {
  stopping ??= stopAll(signal);
  return stopping;
}

async function stopAll(signal: string): Promise<void> {
  say(`\n${signal}: stopping…`);
  // One part failing to stop must not leave the later ones running: each is stopped whatever came before.
  const step = async (name: string, stop: () => unknown) => {
    try {
      await stop();
    } catch (error) {
      say(`Stopping the ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await step("stack state", () => removeStackState(dir));
  await step("cron runner", () => cronRunner?.stop());
  await step("relay", () => relay?.stop());
  await step("Worker", () => worker?.stop());
  await step("simulated guild's save", () => saveGuild());
  await step("simulator", () => simulator?.close());
  await step("WebSocket proxy", () => proxy?.close());
  await step("Postgres", () => postgres?.stop(20_000));
  say("Stopped.");
}

/** Postgres died: it was restarted (the Worker's outbox and the relay's spool carry the gap), or the stack stops. */
function onPostgres(event: PostgresEvent): void {
  const log = shown(path.join(logs, "postgres.log"));
  if (event.kind === "gave_up") {
    say(`\nPostgres died and was not restarted: ${event.reason}. See ${log}.`);
    void shutdown("Postgres is down").then(() => process.exit(1));
    return;
  }
  say(`\nPostgres exited unexpectedly (${event.exit}); restarted it (pid ${event.serverPid}). See ${log}.`);
  if (stackState && postgres && !stopping) {
    stackState.pids = { ...stackState.pids, "postgres-supervisor": postgres.pid, postgres: event.serverPid };
    writeStackState(dir, stackState);
  }
}

process.on("SIGINT", () => void shutdown("SIGINT").then(() => process.exit(0)));
process.on("SIGTERM", () => void shutdown("SIGTERM").then(() => process.exit(0)));
// Should this process die another way, its children (in their own process groups) must not outlive it.
process.on("exit", () => {
  relay?.kill();
  if (worker?.process.pid) signalGroup(worker.process.pid, "SIGKILL");
  postgres?.kill();
});

try {
  const databaseUrl = devVars.DATABASE_URL || process.env.DATABASE_URL || undefined;
  say(`Data: ${shown(dir)}  ·  logs: ${shown(logs)}`);
  if (!databaseUrl) {
    say("Starting Postgres…");
    postgres = await keepPostgresRunning(path.join(dir, "postgres"), ports.postgres, path.join(logs, "postgres.log"), onPostgres);
  }
  const dbUrl = databaseUrl ?? postgres!.url;
  await runMigrations(dbUrl);
  // The Neon driver speaks WebSocket; a plain Postgres (embedded or on this machine) needs the proxy.
  if (!databaseUrl || /@(127\.0\.0\.1|localhost)[:/]/.test(databaseUrl)) proxy = await startWsProxy({ port: ports.wsProxy });

  const workerUrl = `http://127.0.0.1:${ports.worker}`;
  const relaySecret = simulated ? randomBytes(24).toString("hex") : devVars.RELAY_SECRET;
  if (!relaySecret) throw new Error("RELAY_SECRET is missing from .dev.vars");
  const vars: Record<string, string> = { DATABASE_URL: dbUrl, DATABASE_WS_PROXY: proxy?.address ?? "", PUBLIC_URL: devVars.PUBLIC_URL ?? workerUrl };
  let keys: ReturnType<typeof generateInteractionKeys> | null = null;
  if (simulated) {
    say("Starting the Discord simulator…");
    simulator = await startFakeDiscord({ port: ports.simulator, ...simulatorOptions(process.env) });
    simulatedGuild = keptOrSeededGuild(simulator);
    saveGuild();
    // Saved again at stop; meanwhile every minute, for a stack that is killed.
    setInterval(saveGuild, 60_000).unref();
    keys = generateInteractionKeys();
    Object.assign(vars, {
      DISCORD_API_BASE: simulator.apiBase,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_APPLICATION_ID: simulator.state.botUser.id,
      DISCORD_BOT_TOKEN: "simulator-bot-token",
      // "Join with Discord" signs in on the simulator's consent page.
      DISCORD_CLIENT_SECRET: simulator.oauth.clientSecret,
      DISCORD_OAUTH_AUTHORIZE_URL: `${simulator.origin}/oauth2/authorize`,
      RELAY_SECRET: relaySecret,
    });
  }
  const apiBase = simulator?.apiBase ?? devVars.DISCORD_API_BASE ?? "https://discord.com/api/v10";

  say("Starting the Worker (wrangler dev)…");
  const workerLog = fs.createWriteStream(path.join(logs, "worker.log"), { flags: "a" });
  worker = await startLocalWorker({
    port: ports.worker,
    vars,
    persistTo: path.join(dir, "wrangler"),
    detached: true,
    log: (line) => workerLog.write(`${line}\n`),
  });

  say("Starting the relay…");
  relay = supervise("relay", process.execPath, ["--import", "tsx", "relay/main.ts"], {
    env: {
      ...process.env,
      DISCORD_BOT_TOKEN: simulated ? "simulator-bot-token" : devVars.DISCORD_BOT_TOKEN,
      DISCORD_API_BASE: apiBase,
      RELAY_TARGET_URL: `${workerUrl}/relay/events`,
      RELAY_SECRET: relaySecret,
      RELAY_SPOOL_PATH: path.join(dir, "relay-spool"),
      RELAY_HEALTH_PORT: String(ports.relayHealth),
    },
    logFile: path.join(logs, "relay.log"),
  });
  const relayHealthUrl = `http://127.0.0.1:${ports.relayHealth}/healthz`;
  await waitUntil("the relay's gateway connection", 30_000, async () => {
    if (!relay!.running()) throw new Error(`the relay exited; see ${shown(path.join(logs, "relay.log"))}`);
    return fetch(relayHealthUrl).then((r) => r.ok, () => false);
  });

  const state: StackState = {
    mode: simulated ? "simulator" : "discord",
    pid: process.pid,
    readyAt: Date.now(),
    workerUrl,
    relayHealthUrl,
    databaseUrl: dbUrl,
    pids: {
      start: process.pid,
      worker: worker.process.pid!,
      relay: relay.pid,
      ...(postgres ? { "postgres-supervisor": postgres.pid, postgres: postgres.serverPid } : {}),
    },
    ...(simulator && simulatedGuild && keys
      ? {
          simulator: {
            origin: simulator.origin,
            apiBase: simulator.apiBase,
            applicationId: simulator.state.botUser.id,
            guild: simulatedGuild.guild,
            interactionsPrivateKey: keys.privateKeyPem,
          },
        }
      : {}),
  };
  writeStackState(dir, state);
  stackState = state;
  const cronLog = fs.createWriteStream(path.join(logs, "cron.log"), { flags: "a" });
  const logCron = (line: string) => cronLog.write(`${new Date().toISOString()} ${line}\n`);
  cronRunner = runCrons(
    crons,
    (expression, at) => fireScheduled(workerUrl, expression, at).then(() => void logCron(`fired ${expression}`)),
    (expression, error) => logCron(`${expression} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  printSummary(state);
} catch (error) {
  say(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown("error");
  process.exit(1);
}

function simulatorOptions(env: NodeJS.ProcessEnv): Pick<FakeDiscordOptions, "latency" | "memberSearch" | "seed"> {
  const choice = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = env[name];
    if (value === undefined || value === "") return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be ${allowed.join(" or ")}, not ${value}`);
    return value as T;
  };
  const seed = env.SIM_SEED;
  if (seed && !/^\d+$/.test(seed)) throw new Error(`SIM_SEED must be a non-negative integer, not ${seed}`);
  return {
    latency: choice("SIM_LATENCY", ["on", "off"]) === "off" ? false : undefined,
    memberSearch: choice("SIM_MEMBER_SEARCH", ["answer", "refuse"]),
    seed: seed ? Number(seed) : undefined,
  };
}

/** The guild an earlier start of this data directory saved, or a new one. */
function keptOrSeededGuild(fake: FakeDiscord): { guild: SimulatedGuild; kept: boolean } {
  const saved = readGuildSnapshot(savedGuildFile);
  switch (saved.kind) {
    case "saved":
      return { guild: restoreGuild(fake.state, saved.snapshot), kept: true };
    case "none":
      return { guild: seedSimulatedGuild(fake.state), kept: false };
    case "unreadable":
      throw new Error(`${shown(savedGuildFile)} cannot be restored (${saved.reason}); move it away to seed a new guild`);
  }
}

function saveGuild(): void {
  if (simulator && simulatedGuild) writeGuildSnapshot(savedGuildFile, snapshotGuild(simulator.state, simulatedGuild.guild));
}

/** wrangler.toml's cron triggers; a malformed one stops the start with its reason. */
function wranglerCrons(): Cron[] {
  return cronsInWranglerToml(fs.readFileSync(path.join(ROOT, "wrangler.toml"), "utf8")).map((expression) => {
    const parsed = parseCron(expression);
    if (!parsed.ok) {
      say(`wrangler.toml's cron ${parsed.reason}`);
      process.exit(1);
    }
    return parsed.cron;
  });
}

function printSummary(state: StackState): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const rows: Array<[string, string]> = [
    ["Worker", `${state.workerUrl}  (POST /interactions, POST /relay/events, GET /health, GET /__scheduled?cron=)`],
    ["Crons", `${crons.map((c) => c.expression).join(", ")} (wrangler.toml): /__scheduled is called at each matching minute (UTC), as Cloudflare would`],
    ["Relay", `${state.relayHealthUrl}  → ${state.workerUrl}/relay/events`],
  ];
  if (state.simulator && simulator) {
    const { guild } = state.simulator;
    const g = simulator.state.guild(guild.guildId);
    rows.push(
      ["Simulator", `${state.simulator.apiBase} (REST), ${state.simulator.origin.replace("http", "ws")}/gateway, control ${state.simulator.origin}/_fake/…`],
      ["Behaviour", `${JSON.stringify(simulator.state.behaviours.for(null))}, seed ${simulator.seed}`],
      ["Guild", `"${g.name}" ${g.id}: ${g.members.size} members (its owner and ${g.members.size - 1} more), ${simulator.state.guildInvites(g.id).length} invites, vanity discord.gg/${guild.vanityCode}`],
      ["", simulatedGuild?.kept ? `kept from the last start (${shown(savedGuildFile)}; move it away for a new guild)` : `seeded now, kept in ${shown(savedGuildFile)} for the next start`],
    );
  } else {
    rows.push(["Discord", `real (${shown(".dev.vars")}); set the Interactions Endpoint URL to <your tunnel>/interactions`]);
  }
  rows.push(
    ["Postgres", `${state.databaseUrl}${postgres ? `  (data in ${shown(path.join(dir, "postgres"))})` : ""}`],
    ...(proxy ? [["WS proxy", `ws://${proxy.address}  (WebSocket → Postgres, for the Neon driver)`] as [string, string]] : []),
    ["Logs", `${shown(logs)}/{worker,relay,postgres,cron}.log`],
    ["State", shown(path.join(dir, "stack.json"))],
  );
  say(`\nLocal stack is up (${state.mode} mode) in ${seconds} s`);
  for (const [name, value] of rows) say(`  ${name.padEnd(10)} ${value}`);
  if (state.simulator) say("\nNext: `npm run demo` in a second terminal plays joins and shows what an admin sees.");
  say("Stop: Ctrl-C (stops every process above).");
}
