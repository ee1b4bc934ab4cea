/**
 * `.data/stack.json`: what `npm start` is running, where, and with which keys,
 * so `npm run demo` (and the stack test) can find and drive it.
 */
import fs from "node:fs";
import path from "node:path";
import type { SimulatedGuild } from "../../simulator/seed";
import { ROOT } from "./local-stack-paths";
import { processAlive } from "./supervised";

export interface StackState {
  mode: "simulator" | "discord";
  /** The `npm start` process itself. */
  pid: number;
  /** When the relay's gateway connection was up (ms since the epoch): the Worker seeds its invite cache then. */
  readyAt: number;
  workerUrl: string;
  relayHealthUrl: string;
  databaseUrl: string;
  /** Every process the stack started (name → pid), for checking that they all stop. */
  pids: Record<string, number>;
  /** Simulator mode only. */
  simulator?: {
    origin: string;
    apiBase: string;
    applicationId: string;
    guild: SimulatedGuild;
    /** PKCS#8 PEM of the key that signs interactions; the Worker has its public half. */
    interactionsPrivateKey: string;
  };
}

/** Where the stack keeps its data: INVITES_DATA_DIR, or .data/ in the repository. */
export function dataDir(): string {
  return path.resolve(process.env.INVITES_DATA_DIR || path.join(ROOT, ".data"));
}

const stackFile = (dir: string) => path.join(dir, "stack.json");

export function writeStackState(dir: string, state: StackState): void {
  // Holds a signing key: readable by its owner only.
  fs.writeFileSync(stackFile(dir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeStackState(dir: string): void {
  fs.rmSync(stackFile(dir), { force: true });
}

export function readStackState(dir: string): StackState | null {
  try {
    return JSON.parse(fs.readFileSync(stackFile(dir), "utf8")) as StackState;
  } catch {
    return null;
  }
}

/** The stack `npm start` runs now: a stack.json left behind by one that was killed does not count. */
export function runningStack(dir: string): StackState | null {
  const state = readStackState(dir);
  return state && processAlive(state.pid) ? state : null;
}
