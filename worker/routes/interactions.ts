import { Hono } from "hono";
import * as v from "valibot";
import { dispatchInteraction } from "../interactions/dispatch";
import { InteractionEnvelope } from "../interactions/types";
import { verifyInteractionRequest } from "../interactions/verify";
import { limitBody } from "./body-limit";

/**
 * The largest interaction accepted. Discord's are a few KiB (a component's
 * interaction carries the bot's own message, itself bounded by Discord's
 * 6,000-character embed total); a bigger body is hostile and is refused
 * before the signature check reads it.
 */
export const INTERACTION_MAX_BODY_BYTES = 256 * 1024;

/** POST /interactions: Discord's HTTP interactions endpoint. */
export const interactionRoutes = new Hono<{ Bindings: Env }>().post("/", limitBody(INTERACTION_MAX_BODY_BYTES), async (c) => {
  const verified = await verifyInteractionRequest(c.req.raw, c.env.DISCORD_PUBLIC_KEY, Date.now());
  if (!verified.ok) return c.json({ error: "invalid request signature" }, 401);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(verified.body));
  } catch {
    return c.json({ error: "body is not UTF-8 JSON" }, 400);
  }
  const envelope = v.safeParse(InteractionEnvelope, body);
  if (!envelope.success) return c.json({ error: "not an interaction" }, 400);
  return c.json(await dispatchInteraction(envelope.output, body, c.env, c.executionCtx as ExecutionContext));
});
