import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "./target.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface RelayProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  depth(): Promise<number>;
}

/** Runs `relay/main.ts` as `npm run relay` would, and waits for its health endpoint; rejects with its last log line if it exits first. */
export async function startRelayProcess(env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "relay/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, RELAY_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  await waitFor("the relay's health endpoint", () => {
    if (child.exitCode !== null) throw new Error(`relay exited with ${child.exitCode}: ${JSON.stringify(logs.at(-1))}`);
    return logs.some((l) => l.msg === "health listening");
  }, 20_000);
  const port = logs.find((l) => l.msg === "health listening")!.port as number;
  const depth = async () => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { spool: { depth: number } };
    return body.spool.depth;
  };
  return { child, logs, depth };
}
