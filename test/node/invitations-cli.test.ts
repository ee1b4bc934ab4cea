import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const cli = ["--import", "tsx", "scripts/invitations.ts"];
const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [...cli, ...args], { encoding: "utf8", env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const guildId = String(((BigInt(Date.now()) - 1420070400000n) << 22n) + 7n);
const client = new pg.Client({ connectionString: inject("databaseUrl") });

beforeAll(async () => {
  await client.connect();
  await client.query(
    `insert into members (guild_id, user_id, joined_at, left_at, bot)
     select $1, (800000000000000000 + i)::text, now() - interval '40 days', case when i > 25 then now() else null end, i = 25
       from generate_series(1, 30) i`,
    [guildId],
  );
});
afterAll(() => client.end());

describe("npm run invitations", () => {
  it("preview shows the eligible count and a sample, and writes nothing", async () => {
    const { code, stdout } = await run(["preview", "--guild", guildId, "--policy", "never", "--min-days", "30", "--count", "5", "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ command: "preview", eligible: 24, dryRun: true, waveId: null });
    expect(result.recipients).toHaveLength(5);
    expect((await client.query("select count(*)::int n from waves where guild_id = $1", [guildId])).rows[0].n).toBe(0);
  });

  it("mint writes a wave with the same policy code, then stats reads it back", async () => {
    const minted = await run(["mint", "--guild", guildId, "--count", "30", "--policy", "unspent", "--json"]);
    expect(minted.code).toBe(0);
    const result = JSON.parse(minted.stdout);
    expect(result).toMatchObject({ eligible: 24, requested: 30 });
    expect(result.recipients).toHaveLength(24);
    const rows = await client.query("select count(distinct inviter_id)::int n from invitations where guild_id = $1", [guildId]);
    expect(rows.rows[0].n).toBe(24);

    const human = await run(["mint", "--guild", guildId, "--count", "3"]);
    expect(human.stdout).toMatch(/minted 0 of 3 requested; 0 eligible/);
    expect(human.stdout).toMatch(/nothing written/);
    expect(human.stdout).toMatch(/only 0 eligible/);

    const stats = await run(["stats", "--guild", guildId, "--json"]);
    const { waves } = JSON.parse(stats.stdout);
    expect(waves.map((w: { minted: number }) => w.minted)).toEqual([24]);
    expect(waves[0]).toMatchObject({ notified: 0, spent: 0, outstanding: 24, spendRate: 0 });
  });

  it("autopilot sizes the next wave from the stats", async () => {
    const { code, stdout } = await run(["autopilot", "--guild", guildId, "--target", "10", "--max", "30", "--every-days", "7", "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.size).toBeGreaterThan(0);
    expect(result.size).toBeLessThanOrEqual(30);
    expect(result.plan.spendRate).toBe(0.25);
  });

  it.each([
    [["mint", "--count", "3"], /--guild <server id> is required/],
    [["mint", "--guild", "123456789012345678", "--count", "3", "--policy", "all"], /--policy must be one of/],
    [["mint", "--guild", "123456789012345678", "--count", "0"], /--count must be a whole number from 1/],
    [["frobnicate", "--guild", "123456789012345678"], /unknown command "frobnicate"/],
    [["stats", "--guild", "123456789012345678", "--nope"], /^error: unknown option --nope\n/],
    [["mint", "--guild", "123456789012345678", "--count", "3", "--polcy", "never"], /^error: unknown option --polcy \(did you mean --policy\?\)\n/],
  ])("refuses %j with a clear message and exit code 2", async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("usage: npm run invitations");
  });

  it.each([["preview"], ["mint", "--count", "3"], ["stats"], ["autopilot", "--target", "10"]])("%s on a server the bot knows nothing of says so, with exit code 1", async (command, ...options) => {
    const { code, stdout, stderr } = await run([command, "--guild", "123456789012345678", ...options]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^error: the bot knows no server 123456789012345678: /);
  });

  describe("without DATABASE_URL", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "invitations-cli-"));
    afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const stackAt = (pid: number) => fs.writeFileSync(path.join(dataDir, "stack.json"), JSON.stringify({ pid, databaseUrl: inject("databaseUrl") }));
    const runLocal = (args: string[]) => run(args, { DATABASE_URL: "", INVITES_DATA_DIR: dataDir });

    it("uses the database of the stack `npm start` runs, as the demo does", async () => {
      stackAt(process.pid);
      const { code, stdout, stderr } = await runLocal(["stats", "--guild", guildId, "--json"]);
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ command: "stats", guild: guildId });
      expect(stderr).toMatch(/DATABASE_URL is not set: using the database of the local stack/);
    });

    it.each([
      ["no stack.json", false],
      ["a stack.json left by a stack that is gone", true],
    ])("with %s, says to start one, with exit code 1", async (_name, stale) => {
      fs.rmSync(path.join(dataDir, "stack.json"), { force: true });
      if (stale) {
        const gone = spawn(process.execPath, ["-e", ""]);
        await once(gone, "exit");
        stackAt(gone.pid!);
      }
      const { code, stderr } = await runLocal(["stats", "--guild", guildId]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: DATABASE_URL is not set, and no local stack is running .*: start one with `npm start`, or set DATABASE_URL\n$/);
    });
  });

  it("reports an unreachable database with exit code 1", async () => {
    const { code, stderr } = await run(["stats", "--guild", guildId], { DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/none" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: /);
  });
});
