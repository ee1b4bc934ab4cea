// What the operator CLIs (npm run invitations, npm run privacy) share: usage
// errors (exit 2 with the usage), other errors (exit 1), and the Worker's own
// database driver on DATABASE_URL.
import { createRequire } from "node:module";
import { neonConfig } from "@neondatabase/serverless";
import { openDb, type Db } from "../../worker/db";
import { startWsProxy, type WsProxy } from "./ws-proxy";

/** Bad arguments: the usage is printed and the exit code is 2. */
export class UsageError extends Error {}

/** Ends the process: 2 with the usage for a UsageError, 1 with the message for anything else. */
export function failWith(usage: string, error: unknown): never {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message.split("\n")[0]}: ${error.cause.message}` : error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** The Worker's driver, reaching a plain Postgres through an in-process WebSocket proxy (Neon needs none). */
export async function connect(): Promise<{ db: Db; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError("DATABASE_URL is not set");
  neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
  const neon = /\.neon\.(tech|build)$/.test(new URL(url).hostname);
  const proxy: WsProxy | null = neon ? null : await startWsProxy();
  const handle = openDb({ DATABASE_URL: url, DATABASE_WS_PROXY: proxy?.address ?? "" });
  return { db: handle.db, close: async () => (await handle.close(), await proxy?.close()) };
}
