/**
 * Signed dashboard links: an HMAC-SHA256 over guild, admin and expiry, so a
 * link opens one guild's figures for an hour and cannot be altered or forged.
 * The key is derived from the bot token (a secret the Worker already holds);
 * rotating the token revokes every link.
 */

export const LINK_TTL_S = 3_600;
/** Clock difference allowed between the isolate that signed a link and the one checking it. */
export const LINK_SKEW_S = 60;

export interface LinkClaims {
  guildId: string;
  adminId: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: LinkRefusal };
export type LinkRefusal = "malformed" | "forged" | "expired" | "too_far_ahead";

const encoder = new TextEncoder();
const TOKEN = /^(\d{17,20})\.(\d{17,20})\.(\d{10})\.([0-9a-f]{64})$/;

const key = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(`dashboard-link:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const message = (c: LinkClaims) => encoder.encode(`dashboard\n${c.guildId}\n${c.adminId}\n${c.expiresAt}`);
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function signLink(secret: string, claims: LinkClaims): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await key(secret), message(claims));
  return `${claims.guildId}.${claims.adminId}.${claims.expiresAt}.${hex(mac)}`;
}

export async function verifyLink(secret: string, token: string, nowS: number): Promise<LinkCheck> {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const claims = { guildId: match[1]!, adminId: match[2]!, expiresAt: Number(match[3]) };
  const mac = new Uint8Array(match[4]!.match(/../g)!.map((b) => parseInt(b, 16)));
  // subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify("HMAC", await key(secret), mac, message(claims)))) return { ok: false, reason: "forged" };
  if (claims.expiresAt <= nowS) return { ok: false, reason: "expired" };
  // The bot never signs more than an hour ahead: a longer expiry means the key leaked or a signer went wrong.
  if (claims.expiresAt > nowS + LINK_TTL_S + LINK_SKEW_S) return { ok: false, reason: "too_far_ahead" };
  return { ok: true, claims };
}
