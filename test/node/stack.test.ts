/**
 * The README's first run, as a subprocess: `npm start` (with the simulator,
 * in a temporary data directory on free ports), `npm run demo` against it,
 * Postgres killed under it (and restarted), then Ctrl-C to the whole process
 * group as a terminal sends it; then `npm start` again on the same data
 * directory, which keeps the simulated guild the bot knows.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Totals } from "../../scripts/lib/demo-score.ts";
import type { StackState } from "../../scripts/lib/stack-state.ts";
import { groupAlive, processAlive, signalGroup } from "../../scripts/lib/supervised.ts";
import { waitUntil } from "../../scripts/lib/wait.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-stack-"));
fs.chmodSync(dir, 0o755); // as root, Postgres runs as `postgres` and must reach its data directory
const env = {
  ...process.env,
  CI: "true",
  INVITES_DATA_DIR: dir,
  INVITES_PORT_BASE: "0",
  INVITES_DEV_VARS: path.join(dir, "no.dev.vars"), // the simulator, whatever the developer's .dev.vars holds
  DATABASE_URL: "",
};

function run(script: string, options: { detached: boolean }) {
  const child = spawn("npm", ["run", "--silent", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: options.detached });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // "close", not "exit": a process may exit before its last output is read from the pipe ("Stopped.").
  const exited = once(child, "close") as Promise<[number | null, string | null]>;
  return { child, output: () => output, exited };
}

describe("npm start + npm run demo", () => {
  let stack: ReturnType<typeof run>;
  beforeAll(() => {
    stack = run("start", { detached: true });
  });
  afterAll(() => {
    if (stack.child.exitCode === null) signalGroup(stack.child.pid!, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("attributes every played join without a wrong one, and stops every process on Ctrl-C", async () => {
    await waitUntil("npm start to be ready", 90_000, () => {
      if (stack.child.exitCode !== null) throw new Error(`npm start exited early:\n${stack.output()}`);
      return stack.output().includes("Stop: Ctrl-C");
    });
    const state = JSON.parse(fs.readFileSync(path.join(dir, "stack.json"), "utf8")) as StackState;
    expect(state.mode).toBe("simulator");
    // The banner: the guild's owner counted with the README's 300 members, every port, and wrangler.toml's crons fired on schedule.
    expect(stack.output()).toMatch(/Guild {6}"Simulated Lounge" \d+: 301 members \(its owner and 300 more\)/);
    expect(stack.output()).toMatch(/WS proxy {3}ws:\/\/127\.0\.0\.1:\d+/);
    expect(stack.output()).toContain("Crons      */5 * * * *, 0 * * * *, 30 3 * * * (wrangler.toml): /__scheduled is called at each matching minute (UTC)");
    expect(stack.output()).toContain("seeded now, kept in");

    const demo = run("demo", { detached: false });
    const [demoCode] = await demo.exited;
    expect(demoCode, demo.output()).toBe(0);
    expect(demo.output()).toContain("Joins in the last 30 days");
    expect(demo.output()).toContain("Recent joins");
    const totals = JSON.parse(demo.output().trim().split("\n").at(-1)!) as Totals;
    expect(totals.joins_played).toBeGreaterThan(30);
    expect(totals.wrong).toBe(0);
    expect(totals.recorded).toBe(totals.joins_played);
    // Joins back to back: the marks of the bot's own invites name theirs, the diff decides what it can
    // of the rest, member search (answering in the simulator) the others.
    expect(totals.correct).toBe(totals.joins_played);
    expect(totals.by_mark).toBeGreaterThan(0);
    expect(totals.by_mark + totals.by_diff + totals.by_member_search + totals.by_join_with_discord).toBe(totals.correct);
    // Three friends signed in with "Join with Discord" during a burst: each join the bot's own, each invitation spent.
    expect(totals.by_join_with_discord).toBe(3);
    expect(demo.output()).toContain("3 of 3 invitations used with Join with Discord are spent, each by the member who signed in");
    expect(demo.output()).toMatch(/\d+ of \d+ correct verdicts came from the invites' marks/);
    // Its words: what it waited for, and a note only under a row the stats show.
    expect(demo.output()).toContain(`all ${totals.joins_played} joins recorded`);
    expect(demo.output()).toContain(`member search had settled the ${totals.by_member_search} ambiguous ones`);
    expect(demo.output()).not.toContain("timed out");
    expect(demo.output().includes("(Vanity URL:")).toBe(/^ {3}Vanity URL discord\.gg\//m.test(demo.output()));

    // Postgres killed under the running stack: npm start restarts it and the Worker reaches it again.
    process.kill(state.pids.postgres!, "SIGKILL");
    await waitUntil("npm start to restart Postgres", 60_000, () => stack.output().includes("restarted it"));
    await waitUntil("the Worker to reach the restarted Postgres", 30_000, () => fetch(`${state.workerUrl}/health`).then((r) => r.ok, () => false));
    const restarted = JSON.parse(fs.readFileSync(path.join(dir, "stack.json"), "utf8")) as StackState;
    expect(restarted.pids.postgres).not.toBe(state.pids.postgres);

    signalGroup(stack.child.pid!, "SIGINT");
    const [code, signal] = await stack.exited;
    // start.ts exits 0 after "Stopped."; npm itself, having got the SIGINT too, re-raises it once its script is done.
    expect(code === 0 || signal === "SIGINT", `exit ${code ?? signal}\n${stack.output()}`).toBe(true);
    expect(stack.output()).toContain("Stopped.");
    for (const [name, pid] of Object.entries(restarted.pids)) expect(processAlive(pid), `${name} (pid ${pid})`).toBe(false);
    // wrangler's workerd and Postgres' backends live in their leaders' process groups.
    for (const name of ["worker", "relay", "postgres-supervisor"]) expect(groupAlive(restarted.pids[name]!), `${name}'s process group`).toBe(false);
    expect(fs.existsSync(path.join(dir, "stack.json"))).toBe(false);

    // Started again on the same data directory: the same guild, which the bot's reconcile still finds.
    stack = run("start", { detached: true });
    await waitUntil("npm start to be ready again", 90_000, () => {
      if (stack.child.exitCode !== null) throw new Error(`npm start exited early:\n${stack.output()}`);
      return stack.output().includes("Stop: Ctrl-C");
    });
    const again = JSON.parse(fs.readFileSync(path.join(dir, "stack.json"), "utf8")) as StackState;
    const guildId = state.simulator!.guild.guildId;
    expect(again.simulator!.guild.guildId).toBe(guildId);
    expect(stack.output()).toMatch(new RegExp(`${guildId}: ${301 + totals.joins_played} members`));
    expect(stack.output()).toContain("kept from the last start");
    // Under load wrangler dev may still be swapping in its reloaded server when the banner is out.
    await waitUntil("the restarted Worker to answer", 30_000, () => fetch(`${again.workerUrl}/health`).then((r) => r.ok, () => false));
    const scheduledAt = Date.now();
    expect((await fetch(`${again.workerUrl}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`)).ok).toBe(true);
    const db = new pg.Client({ connectionString: again.databaseUrl });
    await db.connect();
    let outcome: string | undefined;
    await waitUntil("the guild's reconcile", 30_000, async () => {
      const runs = await db.query<{ outcome: string }>("select outcome from job_runs where guild_id = $1 and job = 'reconcile' and ran_at >= to_timestamp($2 / 1000.0)", [guildId, scheduledAt]);
      outcome = runs.rows[0]?.outcome;
      return outcome !== undefined;
    });
    // The member sync: the seeded members were there before the bot (GUILD_CREATE's joined_at, recorded): members, no missed join.
    const syncedAt = Date.now();
    expect((await fetch(`${again.workerUrl}/__scheduled?cron=${encodeURIComponent("30 3 * * *")}`)).ok).toBe(true);
    let sync: { outcome: string; figures: { members: number; missedJoins: number } } | undefined;
    await waitUntil("the guild's member sync", 60_000, async () => {
      const runs = await db.query<NonNullable<typeof sync>>("select outcome, figures from job_runs where guild_id = $1 and job = 'member_sync' and ran_at >= to_timestamp($2 / 1000.0)", [guildId, syncedAt]);
      sync = runs.rows[0];
      return sync !== undefined;
    });
    expect(sync).toMatchObject({ outcome: "ok", figures: { members: 301 + totals.joins_played, missedJoins: 0 } });
    expect((await db.query("select 1 from bot_arrivals where guild_id = $1", [guildId])).rowCount).toBe(1);
    await db.end();
    expect(outcome).toBe("ok");
    signalGroup(stack.child.pid!, "SIGINT");
    await stack.exited;
    expect(stack.output()).toContain("Stopped.");
  }, 240_000);
});
