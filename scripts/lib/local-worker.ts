import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { ROOT } from "./local-stack-paths";
import { freePort } from "./free-port";
import { signalGroup } from "./supervised";

export interface LocalWorker {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface LocalWorkerOptions {
  /** Variables and secrets; they override `.dev.vars`. */
  vars: Record<string, string>;
  port?: number;
  /** Durable Object storage directory (default: wrangler's .wrangler/state). */
  persistTo?: string;
  log?: (line: string) => void;
  /**
   * Own process group (for a supervisor that stops its children in order on
   * Ctrl-C); stop() then signals the group, workerd included.
   */
  detached?: boolean;
}

const wranglerBin = () => createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

/**
 * Runs the Worker with `wrangler dev` (workerd, Durable Objects, the cron
 * trigger reachable at /__scheduled) and resolves once GET /health answers.
 */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const port = options.port ?? (await freePort());
  const args = [wranglerBin(), "dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled", "--show-interactive-dev-session=false"];
  for (const [key, value] of Object.entries(options.vars)) args.push("--var", `${key}:${value}`);
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: process.env.CI ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  const signal = (name: NodeJS.Signals) => (options.detached ? signalGroup(child.pid!, name) : child.kill(name));
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) options.log?.(line);
  };
  child.stdout.on("data", forward);
  child.stderr.on("data", forward);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    const up = await fetch(`${url}/health`).then((r) => r.status > 0, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      signal("SIGTERM");
      throw new Error("wrangler dev did not answer within 60 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        signal("SIGTERM");
        const timer = setTimeout(() => signal("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
