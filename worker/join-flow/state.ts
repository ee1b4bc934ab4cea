/**
 * The OAuth2 `state` of "Join with Discord": an HMAC-SHA256 over what it is for
 * (an invitation of a guild), a nonce and an expiry, so only this Worker can
 * have made it and nobody can alter it. The nonce is also set in a cookie: a
 * state carried to another browser (a link sent to someone else, a login CSRF)
 * does not match it. The guild's object spends each nonce once (replays).
 * The key is derived from the OAuth2 client secret: rotating it voids every state.
 */
import type { StateRefusal } from "./outcome";

export const STATE_TTL_S = 600;
/** Clock difference allowed between the isolate that signed a state and the one checking it. */
const SKEW_S = 60;
/** The cookie holding the nonce; scoped to the callback's path. */
export const STATE_COOKIE = "join_flow";

export interface StateClaims {
  purpose: "invitation";
  guildId: string;
  invitationId: number;
  nonce: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type StateCheck = { ok: true; claims: StateClaims } | { ok: false; reason: StateRefusal };

const encoder = new TextEncoder();
const STATE = /^(invitation)\.(\d{17,20})\.(\d{1,10})\.([A-Za-z0-9_-]{22})\.(\d{10})\.([A-Za-z0-9_-]{43})$/;

const key = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(`join-flow-state:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const message = (c: StateClaims) => encoder.encode(`join-flow\n${c.purpose}\n${c.guildId}\n${c.invitationId}\n${c.nonce}\n${c.expiresAt}`);

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** 128 random bits. */
export const newNonce = () => base64url(crypto.getRandomValues(new Uint8Array(16)));

export async function signState(secret: string, claims: StateClaims): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), message(claims)));
  return `${claims.purpose}.${claims.guildId}.${claims.invitationId}.${claims.nonce}.${claims.expiresAt}.${base64url(mac)}`;
}

/** Checks the MAC, the expiry and the browser's cookie; the nonce's single use is the object's to check. */
export async function verifyState(secret: string, state: string, cookieNonce: string | undefined, nowS: number): Promise<StateCheck> {
  const match = STATE.exec(state);
  if (!match) return { ok: false, reason: "malformed" };
  const claims: StateClaims = { purpose: "invitation", guildId: match[2]!, invitationId: Number(match[3]), nonce: match[4]!, expiresAt: Number(match[5]) };
  // subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify("HMAC", await key(secret), fromBase64url(match[6]!), message(claims)))) return { ok: false, reason: "forged" };
  if (claims.expiresAt <= nowS) return { ok: false, reason: "expired" };
  if (claims.expiresAt > nowS + STATE_TTL_S + SKEW_S) return { ok: false, reason: "too_far_ahead" };
  if (cookieNonce !== claims.nonce) return { ok: false, reason: "not_this_browser" };
  return { ok: true, claims };
}
