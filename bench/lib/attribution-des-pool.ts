// Runs discrete-event simulations on every core: each child process takes a share
// of the configs (a JSON list in argv) and prints one result per line.
import { fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { simulate, type DesConfig, type DesResult } from "./attribution-des";

const self = fileURLToPath(import.meta.url);

export async function simulateAll(configs: readonly DesConfig[]): Promise<DesResult[]> {
  const workers = Math.max(1, Math.min(os.availableParallelism(), configs.length));
  const shares = Array.from({ length: workers }, (_, w) => configs.map((c, i) => ({ c, i })).filter((_, i) => i % workers === w));
  const results: DesResult[] = new Array(configs.length);
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const child = fork(self, [JSON.stringify(share.map((s) => s.c))], { execArgv: ["--import", "tsx"], stdio: ["ignore", "pipe", "inherit", "ipc"] });
          let out = "";
          child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
          child.on("error", reject);
          child.on("exit", (code) => {
            if (code !== 0) return reject(new Error(`simulation worker exited ${code}`));
            out
              .trim()
              .split("\n")
              .forEach((line, k) => (results[share[k]!.i] = JSON.parse(line) as DesResult));
            resolve();
          });
        }),
    ),
  );
  return results;
}

if (process.argv[1] === self && process.argv[2]) {
  for (const config of JSON.parse(process.argv[2]) as DesConfig[]) {
    process.stdout.write(`${JSON.stringify(simulate(config))}\n`);
  }
}
