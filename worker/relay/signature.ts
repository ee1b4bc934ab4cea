/** Relay → Worker requests are signed: hex HMAC-SHA256(RELAY_SECRET, timestamp + "." + rawBody). */
export const RELAY_MAX_SKEW_S = 300;

export type RelaySignatureVerdict = "ok" | "missing" | "stale" | "bad_signature";

const hexToBytes = (hex: string) => {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
};

export async function verifyRelaySignature(
  secret: string,
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): Promise<RelaySignatureVerdict> {
  if (!timestamp || !signature || !secret) return "missing";
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > RELAY_MAX_SKEW_S) return "stale";
  const bytes = hexToBytes(signature);
  if (!bytes) return "bad_signature";
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify("HMAC", key, bytes, new TextEncoder().encode(`${timestamp}.${rawBody}`));
  return valid ? "ok" : "bad_signature";
}
