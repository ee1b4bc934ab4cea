import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { inject } from "vitest";
import { signRelay } from "../../../bench/lib/relay-fuzz";

/** POSTs a body to /relay/events signed as the relay signs it. */
export async function postRelay(body: string, options: { timestamp?: number; secret?: string; signature?: string } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? (await signRelay(options.secret ?? env.RELAY_SECRET, body, timestamp));
  return sendRelay(body, { "Content-Type": "application/json", "X-Relay-Timestamp": String(timestamp), "X-Relay-Signature": signature });
}

/** POSTs a body to /relay/events with exactly these headers. */
export function sendRelay(body: string, headers: Record<string, string>) {
  return exports.default.fetch("https://bot.test/relay/events", { method: "POST", headers, body });
}

/** GET /health/guilds/:id signed as the relay signs, over the path: the guild's full figures. */
export async function guildHealth(guildId: string, options: { secret?: string } = {}) {
  const path = `/health/guilds/${guildId}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = await signRelay(options.secret ?? env.RELAY_SECRET, path, timestamp);
  return exports.default.fetch(`https://bot.test${path}`, { headers: { "X-Relay-Timestamp": String(timestamp), "X-Relay-Signature": signature } });
}

export const relayEvent = (id: string, t: string, d: unknown) => postRelay(JSON.stringify({ id, t, d }));

type ForwardedEvent = { id: string; t: string; d: unknown };
type Transform = (events: ForwardedEvent[]) => ForwardedEvent[];

/**
 * Forwards the gateway dispatches the fake Discord produced for a guild, as the
 * relay would: each once, in order, with a stable id, and no sooner than the
 * simulator's gateway delivers it (50–1,000 ms after it happened, sometimes
 * seconds). Each forward returns how many were new.
 */
export function gatewayForwarder(guildId: string) {
  let sent = 0;
  const origin = new URL(inject("discordApiBase")).origin;
  const delivered = async (wait: boolean) => {
    const response = await fetch(`${origin}/_fake/guilds/${guildId}/events${wait ? "?wait=true" : ""}`);
    if (!response.ok) throw new Error(`fake Discord events for ${guildId}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as Array<{ t: string; d: unknown }>).slice(sent);
  };
  const send = async (pending: Array<{ t: string; d: unknown }>, transform: Transform) => {
    const events = pending.map(({ t, d }, i) => ({ id: `${guildId}:${sent + i}`, t, d }));
    sent += events.length;
    for (const event of transform(events)) {
      const response = await relayEvent(event.id, event.t, event.d);
      if (response.status !== 202) throw new Error(`relay event ${event.id} answered ${response.status}: ${await response.text()}`);
    }
    return events.length;
  };
  const identity: Transform = (events) => events;
  /** Waits until everything that has happened in the guild so far is delivered, then forwards it. */
  const forwardAll = async (transform = identity) => send(await delivered(true), transform);
  return {
    /** Delivered by now and not yet forwarded. */
    pending: () => delivered(false),
    /** Forwards only what the gateway has delivered by now: later events stay in flight. */
    forwardDelivered: async (transform = identity) => send(await delivered(false), transform),
    forwardAll,
    /** The same as forwardAll: a test that forwards right after a join expects that join to arrive. */
    forward: forwardAll,
  };
}

/** Cuts the Worker off from Postgres (at the WebSocket proxy) until restored. */
export async function databaseOutage(down: boolean) {
  await fetch(`http://${inject("wsProxy")}/_control/outage?down=${down ? 1 : 0}`, { method: "POST" });
}

export function guildStub(guildId: string) {
  return env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId));
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
