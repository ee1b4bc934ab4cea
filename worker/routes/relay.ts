import { Hono } from "hono";
import { parseRelayBody } from "../relay/batch";
import { verifyRelaySignature } from "../relay/signature";
import { limitBody } from "./body-limit";

/**
 * The largest body accepted. The relay trims GUILD_CREATE to a few hundred
 * bytes and other dispatches are smaller still; anything near this is hostile,
 * and must not reach the guild's storage (a SQLite value caps at 2 MB).
 */
export const RELAY_MAX_BODY_BYTES = 1024 * 1024;

/**
 * POST /relay/events: gateway events from the relay, one or a batch of one guild's
 * (worker/relay/batch.ts). 202 only once the guild's Durable Object has stored every
 * event durably, in one transaction; a repeated id is 202 with no second effect.
 * Refusals are 4xx, which the relay parks instead of retrying: 413 too large, 401 unsigned, 400 malformed.
 */
export const relayRoutes = new Hono<{ Bindings: Env }>().post(
  "/events",
  limitBody(RELAY_MAX_BODY_BYTES),
  async (c) => {
    const rawBody = await c.req.text();
    const verdict = await verifyRelaySignature(
      c.env.RELAY_SECRET,
      rawBody,
      c.req.header("X-Relay-Timestamp"),
      c.req.header("X-Relay-Signature"),
      Date.now(),
    );
    if (verdict !== "ok") return c.json({ error: verdict === "stale" ? "timestamp out of window" : "bad signature" }, 401);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return c.json({ error: "body is not JSON" }, 400);
    }
    const parsed = parseRelayBody(body, Date.now());
    if (!parsed.ok) return c.json({ error: parsed.problem }, 400);
    const stub = c.env.GUILD_INVITES.get(c.env.GUILD_INVITES.idFromName(parsed.guildId));
    const { duplicates } = await stub.acceptBatch(parsed.events);
    if (!parsed.batch) return c.json({ accepted: true, duplicate: duplicates > 0 }, 202);
    return c.json({ accepted: true, events: parsed.events.length, duplicates }, 202);
  },
);
