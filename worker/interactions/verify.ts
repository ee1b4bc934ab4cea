import { verifyKey } from "discord-interactions";

/** Discord signs `timestamp + body`; a replayed request with an old timestamp is refused too. */
export const MAX_TIMESTAMP_SKEW_S = 300;

export type VerifyOutcome = "ok" | "missing_headers" | "stale_timestamp" | "bad_signature";

export async function verifyInteraction(
  rawBody: string,
  signature: string | undefined,
  timestamp: string | undefined,
  publicKey: string,
  nowMs: number,
): Promise<VerifyOutcome> {
  if (!signature || !timestamp) return "missing_headers";
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > MAX_TIMESTAMP_SKEW_S) return "stale_timestamp";
  // verifyKey throws on malformed hex; that is a bad signature, not a server error.
  const valid = await verifyKey(rawBody, signature, timestamp, publicKey).catch(() => false);
  return valid ? "ok" : "bad_signature";
}
