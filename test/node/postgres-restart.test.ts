/**
 * `npm start`'s Postgres is restarted when it dies, whichever process dies:
 * the server (postmaster) or the Node wrapper holding it. A server that keeps
 * dying ends in `gave_up`, on which `npm start` stops the stack.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port.ts";
import { keepPostgresRunning, type KeptPostgres, type PostgresEvent } from "../../scripts/lib/postgres-process.ts";
import { processAlive } from "../../scripts/lib/supervised.ts";
import { waitUntil } from "../../scripts/lib/wait.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-pg-restart-"));
fs.chmodSync(dir, 0o777); // as root, Postgres runs as `postgres` and must write here
const events: PostgresEvent[] = [];
let postgres: KeptPostgres | null = null;

afterAll(async () => {
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function query<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgres!.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const restarts = () => events.filter((e) => e.kind === "restarted").length;

describe("keepPostgresRunning", () => {
  it("restarts a killed server and a killed wrapper on the same URL with the data kept, then gives up on a third crash within the window", async () => {
    postgres = await keepPostgresRunning(path.join(dir, "data"), await freePort(), path.join(dir, "postgres.log"), (e) => events.push(e), {
      max: 2,
      windowMs: 60_000,
    });
    await query("create table kept (n int); insert into kept values (42)");

    const firstServer = postgres.serverPid;
    process.kill(firstServer, "SIGKILL");
    await waitUntil("a restart after the server was killed", 60_000, () => restarts() === 1);
    expect(postgres.serverPid).not.toBe(firstServer);
    expect(processAlive(firstServer)).toBe(false);
    expect(await query("select n from kept")).toEqual([{ n: 42 }]);

    // The wrapper's death leaves its server running: it must be stopped before a new one can take the port.
    const firstWrapper = postgres.pid;
    const secondServer = postgres.serverPid;
    process.kill(firstWrapper, "SIGKILL");
    await waitUntil("a restart after the wrapper was killed", 60_000, () => restarts() === 2);
    expect(processAlive(secondServer)).toBe(false);
    expect(postgres.pid).not.toBe(firstWrapper);
    expect(await query("select n from kept")).toEqual([{ n: 42 }]);

    process.kill(postgres.serverPid, "SIGKILL");
    await waitUntil("giving up", 30_000, () => events.some((e) => e.kind === "gave_up"));
    expect(events.at(-1)).toEqual({ kind: "gave_up", reason: expect.stringMatching(/exited \(code 1\) 3 times within 60 s/) });
    expect(events.slice(0, 2)).toMatchObject([
      { kind: "restarted", restarts: 1 },
      { kind: "restarted", exit: "SIGKILL", restarts: 2 },
    ]);
  }, 150_000);
});
