import { Hono } from "hono";
import { dispatchInteraction } from "../interactions/dispatch";
import { isInteraction } from "../interactions/types";
import { verifyInteraction } from "../interactions/verify";

/** POST /interactions: Discord's HTTP interactions endpoint. */
export const interactionRoutes = new Hono<{ Bindings: Env }>().post("/", async (c) => {
  const rawBody = await c.req.text();
  const verdict = await verifyInteraction(
    rawBody,
    c.req.header("X-Signature-Ed25519"),
    c.req.header("X-Signature-Timestamp"),
    c.env.DISCORD_PUBLIC_KEY,
    Date.now(),
  );
  if (verdict !== "ok") return c.json({ error: "invalid request signature" }, 401);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return c.json({ error: "body is not JSON" }, 400);
  }
  if (!isInteraction(body)) return c.json({ error: "not an interaction" }, 400);
  return c.json(await dispatchInteraction(body, c.env, c.executionCtx as ExecutionContext));
});
