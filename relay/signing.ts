import { createHmac } from "node:crypto";

/**
 * Relay → Worker signature (DESIGN.md, "Interfaces"): hex HMAC-SHA256 of
 * `timestamp + "." + rawBody`. The timestamp is taken when a request is sent,
 * not when the event was spooled, so a long outage does not age events past
 * the Worker's 300-second window.
 */
export function signBody(secret: string, timestamp: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
}

export function signedHeaders(secret: string, rawBody: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "content-type": "application/json",
    "x-relay-timestamp": String(timestamp),
    "x-relay-signature": signBody(secret, timestamp, rawBody),
  };
}
