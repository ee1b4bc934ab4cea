import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { ROOT } from "./local-stack-paths";

export interface Supervised {
  name: string;
  pid: number;
  child: ChildProcess;
  running(): boolean;
  /** SIGTERM to the child's process group, SIGKILL after `graceMs`; resolves once the group is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort from a synchronous exit handler. */
  kill(): void;
}

export interface SuperviseOptions {
  env: Record<string, string | undefined>;
  /** Output goes here, not to the terminal. */
  logFile: string;
  onLine?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** State and process group from /proc/<pid>/stat (Linux), after the parenthesised command name. */
function procStat(pid: string): { state: string; pgrp: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

const HAS_PROC = fs.existsSync("/proc/self/stat");

/**
 * Whether a process still runs. A zombie does not: in a container whose init
 * never reaps, exited grandchildren stay zombies, and signal 0 still reaches them.
 */
export function processAlive(pid: number): boolean {
  if (HAS_PROC) return (procStat(String(pid))?.state ?? "Z") !== "Z";
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any live process belongs to the group led by `pgid`. */
export function groupAlive(pgid: number): boolean {
  if (!HAS_PROC) return processAlive(-pgid);
  return fs.readdirSync("/proc").some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const stat = procStat(entry);
    return stat !== null && stat.pgrp === pgid && stat.state !== "Z";
  });
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a child in its own process group: a terminal's Ctrl-C then reaches only
 * the supervisor, which stops the children in order, and a signal to the group
 * also reaches grandchildren (wrangler's workerd).
 */
export function supervise(name: string, command: string, args: string[], options: SuperviseOptions): Supervised {
  const log = fs.createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(command, args, { cwd: ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let buffered = "";
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    if (!options.onLine) return;
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) options.onLine(line);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  child.once("exit", () => log.end());
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid,
    child,
    running,
    async stop(graceMs = 10_000) {
      signalGroup(pid, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while ((running() || groupAlive(pid)) && Date.now() < deadline) await Promise.race([exited, sleep(100)]);
      if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
      await exited;
      while (groupAlive(pid)) await sleep(50);
    },
    kill: () => signalGroup(pid, "SIGKILL"),
  };
}
