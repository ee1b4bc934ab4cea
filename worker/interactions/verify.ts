import { verifyKey } from "discord-interactions";

/** Discord signs `timestamp + body`; a replayed request with an old timestamp is refused too. */
export const MAX_TIMESTAMP_SKEW_S = 300;

export type VerifyFailure = "missing_headers" | "malformed_headers" | "stale_timestamp" | "bad_signature";
export type VerifyOutcome = { ok: true; body: Uint8Array } | { ok: false; reason: VerifyFailure };

/**
 * Exactly what Discord sends: 64 signature bytes as hex, unix seconds as
 * digits. Anything looser is refused before any cryptography, so no other
 * spelling can decode to an authentic signature (the library's hex parser
 * reads "0z" as 0x00).
 */
const SIGNATURE = /^[0-9a-f]{128}$/i;
const TIMESTAMP = /^\d{1,12}$/;

/** Spelt this way so the module also type-checks under Node's types (the bench runs it there). */
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<Key>>();
/** The imported public key, kept across requests (a CryptoKey is not an I/O object). */
function publicKey(hex: string): Promise<Key> {
  let key = keys.get(hex);
  if (!key) {
    const bytes = new Uint8Array((hex.match(/[0-9a-f]{2}/gi) ?? []).map((b) => parseInt(b, 16)));
    key = crypto.subtle.importKey("raw", bytes, { name: "Ed25519" }, false, ["verify"]);
    // A bad configured key must fail every request, not be cached as a rejection forever.
    key.catch(() => keys.delete(hex));
    keys.set(hex, key);
  }
  return key;
}

/**
 * Checks an interaction request as Discord signs it: Ed25519 over the
 * timestamp header followed by the body's exact bytes (verified before any
 * decoding, so two byte strings that decode alike cannot share a signature).
 * Header names are case-insensitive, as HTTP has them.
 */
export async function verifyInteractionRequest(request: Request, publicKeyHex: string, nowMs: number): Promise<VerifyOutcome> {
  const signature = request.headers.get("X-Signature-Ed25519");
  const timestamp = request.headers.get("X-Signature-Timestamp");
  if (signature === null || timestamp === null) return { ok: false, reason: "missing_headers" };
  if (!SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp)) return { ok: false, reason: "malformed_headers" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_TIMESTAMP_SKEW_S) return { ok: false, reason: "stale_timestamp" };
  const body = new Uint8Array(await request.arrayBuffer());
  const valid = await publicKey(publicKeyHex)
    .then((key) => verifyKey(body, signature, timestamp, key))
    .catch(() => false);
  return valid ? { ok: true, body } : { ok: false, reason: "bad_signature" };
}
