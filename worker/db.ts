import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "../schema";

export type Db = NeonDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** The database or a transaction on it: store functions accept either. */
export type Queryable = Db | Tx;

export interface DbHandle {
  db: Db;
  /** Ends the pool; call through `ctx.waitUntil` once the request's work is done. */
  close(): Promise<void>;
}

/**
 * How long a connection attempt and one statement may take. They are timed
 * by the client, so they also fire when Postgres is frozen and never answers
 * (a server-side statement_timeout would not). Far above any query the bot
 * runs (the heaviest, /invite stats on a million joins, takes ~30 ms), and
 * short enough that an admin hears about an outage within a few seconds.
 */
export const DB_TIMEOUTS = { connectMs: 3_000, statementMs: 3_000 } as const;

/**
 * A Pool per request, as Workers require (no I/O objects shared across requests).
 * DATABASE_WS_PROXY is set only locally: the Neon driver then reaches a plain
 * Postgres through the WebSocket-to-TCP proxy instead of Neon's endpoint.
 */
export function openDb(env: { DATABASE_URL: string; DATABASE_WS_PROXY?: string }, options: { statementMs?: number; maxConnections?: number } = {}): DbHandle {
  const proxy = env.DATABASE_WS_PROXY;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    connectionTimeoutMillis: DB_TIMEOUTS.connectMs,
    query_timeout: options.statementMs ?? DB_TIMEOUTS.statementMs,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
  });
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

/** SQLSTATE classes and codes that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
const UNAVAILABLE_MESSAGE = /timeout|timed out|Connection terminated|ECONNREFUSED|ECONNRESET|WebSocket|socket hang up|closed/i;

/**
 * Whether an error (or one it wraps: drizzle puts the driver's error in
 * `cause`) says the database did not answer. Server-reported errors carry a
 * SQLSTATE and are judged by it alone; driver errors by their message.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      if (UNAVAILABLE_SQLSTATE.test(code) || code === "57014") return true;
      continue;
    }
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
