import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { openDb } from "../db";
import { logError } from "../log";
import { verifyRelaySignature } from "../relay/signature";

const DB_TIMEOUT_MS = 3_000;

/** Only the shape is checked: an id of a guild the bot never saw has an empty object. */
const GUILD_ID = /^\d{17,20}$/;

/** GET /health: is the Worker up, and does the database answer? */
export const healthRoutes = new Hono<{ Bindings: Env }>()
  /**
   * GET /health/guilds/:id: one guild's attribution pipeline, counts only: joins waiting
   * for a verdict, rows Postgres has not committed, rows it refused for good (dead
   * letters), and Discord fetch failures. Not ok while dead letters or failures stand.
   * Anyone may ask whether a guild is ok; the figures (`lastEventAt` would time the
   * guild's joins live) only to a request signed as the relay signs, over its path.
   */
  .get("/guilds/:id", async (c) => {
    const guildId = c.req.param("id");
    if (!GUILD_ID.test(guildId)) return c.json({ ok: false, error: "not a guild id" }, 400);
    const timestamp = c.req.header("X-Relay-Timestamp");
    const signature = c.req.header("X-Relay-Signature");
    const signed = timestamp !== undefined || signature !== undefined;
    if (signed) {
      const verdict = await verifyRelaySignature(c.env.RELAY_SECRET, c.req.path, timestamp, signature, Date.now());
      if (verdict !== "ok") return c.json({ error: verdict === "stale" ? "timestamp out of window" : "bad signature" }, 401);
    }
    const status = await c.env.GUILD_INVITES.get(c.env.GUILD_INVITES.idFromName(guildId)).status();
    const ok = status.deadLetters === 0 && status.failures === 0;
    return c.json(signed ? { ok, guild: guildId, ...status } : { ok, guild: guildId });
  })
  .get("/", async (c) => {
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
