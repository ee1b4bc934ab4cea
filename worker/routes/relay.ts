import { Hono } from "hono";
import { parseRelayEvent } from "../relay/event";
import { verifyRelaySignature } from "../relay/signature";

/**
 * POST /relay/events: gateway events from the relay. 202 only once the guild's
 * Durable Object has stored the event durably; a repeated id is 202 with no second effect.
 */
export const relayRoutes = new Hono<{ Bindings: Env }>().post("/events", async (c) => {
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
  const parsed = parseRelayEvent(body, Date.now());
  if (!parsed.ok) return c.json({ error: parsed.problem }, 400);
  const stub = c.env.GUILD_INVITES.get(c.env.GUILD_INVITES.idFromName(parsed.event.guildId));
  const accepted = await stub.accept(parsed.event);
  return c.json({ accepted: true, duplicate: accepted.duplicate }, 202);
});
