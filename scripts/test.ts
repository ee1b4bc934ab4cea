// npm test [-- vitest arguments]: the Node tests and the Worker tests (in two shards) run side by
// side, each vitest with its own Postgres, WebSocket proxy and fake Discord (test/global-setup.ts),
// so one run's database outage or rate limit never reaches another's. Most of the suite's time is
// spent waiting on Discord's simulated latency, not on the CPU; one vitest runs one Worker test
// file at a time, and three of them finish in about half the time one would take.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";

const RUNS: ReadonlyArray<{ label: string; args: string[] }> = [
  { label: "node", args: ["--project", "node"] },
  { label: "worker 1/2", args: ["--project", "worker", "--shard=1/2"] },
  { label: "worker 2/2", args: ["--project", "worker", "--shard=2/2"] },
];

const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const extra = process.argv.slice(2);
const started = Date.now();

const outcomes = await Promise.all(
  RUNS.map(
    ({ label, args }) =>
      new Promise<{ label: string; code: number; seconds: number }>((resolve) => {
        // A filter given on the command line may match nothing in some of the runs: that is not a failure.
        const child = spawn(process.execPath, [vitest, "run", ...args, "--passWithNoTests", ...extra], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
        for (const stream of [child.stdout, child.stderr]) {
          readline.createInterface({ input: stream }).on("line", (line) => console.log(`[${label}] ${line}`));
        }
        child.on("close", (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000) }));
      }),
  ),
);

console.log("");
for (const { label, code, seconds } of outcomes) console.log(`${code === 0 ? "passed" : "FAILED"}  ${label} (${seconds} s)`);
process.exit(outcomes.some((o) => o.code !== 0) ? 1 : 0);
