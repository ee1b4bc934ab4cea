import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { openDb } from "../db";
import { logError } from "../log";

const DB_TIMEOUT_MS = 3_000;

/** GET /health: is the Worker up, and does the database answer? */
export const healthRoutes = new Hono<{ Bindings: Env }>().get("/", async (c) => {
  const started = Date.now();
  const { db, close } = openDb(c.env);
  try {
    await Promise.race([
      db.execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timed out")), DB_TIMEOUT_MS)),
    ]);
    return c.json({ ok: true, database: { ok: true, latency_ms: Date.now() - started } });
  } catch (error) {
    logError("health check: database unreachable", error);
    return c.json({ ok: false, database: { ok: false, error: error instanceof Error ? error.message : String(error) } }, 503);
  } finally {
    c.executionCtx.waitUntil(close().catch(() => undefined));
  }
});
