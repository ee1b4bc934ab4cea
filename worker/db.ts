import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "../schema";

export type Db = NeonDatabase<typeof schema>;
/** The database or a transaction on it: store functions accept either. */
export type Queryable = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface DbHandle {
  db: Db;
  /** Ends the pool; call through `ctx.waitUntil` once the request's work is done. */
  close(): Promise<void>;
}

/**
 * A Pool per request, as Workers require (no I/O objects shared across requests).
 * DATABASE_WS_PROXY is set only locally: the Neon driver then reaches a plain
 * Postgres through the WebSocket-to-TCP proxy instead of Neon's endpoint.
 */
export function openDb(env: Pick<Env, "DATABASE_URL" | "DATABASE_WS_PROXY">): DbHandle {
  const proxy = env.DATABASE_WS_PROXY;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  let closing = false;
  // An idle client's socket error must not crash the isolate; the next query reports it.
  // Sockets closing after end() also land here and mean nothing.
  pool.on("error", (err: Error) => {
    if (!closing) console.error(JSON.stringify({ level: "error", msg: "postgres pool error", err: err.message ?? String(err) }));
  });
  return {
    db: drizzle({ client: pool, schema }),
    close: () => {
      closing = true;
      return pool.end();
    },
  };
}
