/**
 * Signature fuzz for POST /interactions: authentic interactions and mutations
 * of them (body bytes, signature, timestamp, header names and duplicates,
 * replays outside the window, another key). Only the authentic ones may be
 * accepted. WebCrypto only, so the same cases run in Node against the
 * verifier (`signatureFuzz`, fast) and in workerd through the real route.
 */
import { verifyInteractionRequest } from "../../worker/interactions/verify";
import { prng } from "./prng";

export interface FuzzCase {
  kind: string;
  /** Signed by the key holder, as sent, inside the timestamp window: must be accepted. */
  authentic: boolean;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export interface FuzzKeys {
  privateKey: Key;
  /** Another Ed25519 key: its signatures are valid, just not Discord's. */
  otherKey: Key;
}

const SIG = "X-Signature-Ed25519";
const TS = "X-Signature-Timestamp";
const encoder = new TextEncoder();
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};


/** PINGs with varied, non-ASCII payload: authentic ones are answered without touching the database. */
function bodies(): Uint8Array[] {
  const extras = [{}, { note: "Ｒｅｄｄｉｔ ΟΔΟΣ İSTANBUL 😀" }, { note: "\u202e\u200b" }, { pad: "x".repeat(3_000) }];
  return extras.map((extra, i) =>
    encoder.encode(JSON.stringify({ id: `${100000000000000000n + BigInt(i)}`, type: 1, token: `t${i}`, application_id: "100000000000000001", version: 1, ...extra })),
  );
}

async function sign(key: Key, timestamp: string, body: Uint8Array) {
  return new Uint8Array(await crypto.subtle.sign("Ed25519", key, concat(encoder.encode(timestamp), body)));
}

const randomCase = (rand: ReturnType<typeof prng>, name: string) =>
  [...name].map((c) => (rand.next() < 0.5 ? c.toLowerCase() : c.toUpperCase())).join("");

/** The first mutations below leave the request authentic. */
const AUTHENTIC_KINDS = 4;

/** `n` cases, a tenth of them authentic, the rest forged in one of many ways. */
export async function fuzzCases(n: number, keys: FuzzKeys, nowS: number, seed = 1): Promise<FuzzCase[]> {
  const rand = prng(seed);
  const pool = bodies();
  const cases: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    const body = rand.pick(pool);
    const ts = String(nowS - rand.below(200));
    const signature = await sign(keys.privateKey, ts, body);
    const sigHex = hex(signature);
    const plain = (kind: string, authentic: boolean, parts: { sig?: string; ts?: string; body?: Uint8Array }): FuzzCase => ({
      kind,
      authentic,
      headers: [
        [SIG, parts.sig ?? sigHex],
        [TS, parts.ts ?? ts],
      ],
      body: parts.body ?? body,
    });
    const mutations: Array<() => Promise<FuzzCase> | FuzzCase> = [
      () => plain("authentic", true, {}),
      () => ({ ...plain("header name casing", true, {}), headers: [[randomCase(rand, SIG), sigHex], [randomCase(rand, TS), ts]] }),
      () => plain("signature in upper-case hex", true, { sig: sigHex.toUpperCase() }),
      // HTTP drops whitespace around a header value: the same bytes were signed, so this is authentic.
      () => plain("header values padded with spaces", true, { sig: ` ${sigHex} `, ts: `${ts} ` }),
      () => {
        const mutated = body.slice();
        const at = rand.below(mutated.length);
        mutated[at] = mutated[at]! ^ (1 + rand.below(255));
        return plain("body byte changed", false, { body: mutated });
      },
      () => {
        const at = rand.below(body.length + 1);
        return plain("body byte inserted", false, { body: concat(concat(body.slice(0, at), new Uint8Array([rand.below(256)])), body.slice(at)) });
      },
      () => {
        const at = rand.below(body.length);
        return plain("body byte removed", false, { body: concat(body.slice(0, at), body.slice(at + 1)) });
      },
      () => plain("body truncated", false, { body: body.slice(0, rand.below(body.length)) }),
      () => plain("whitespace appended", false, { body: concat(body, encoder.encode(rand.pick([" ", "\n", "\r\n"]))) }),
      () => plain("empty body", false, { body: new Uint8Array() }),
      () => {
        const flipped = signature.slice();
        const at = rand.below(64);
        flipped[at] = flipped[at]! ^ (1 << rand.below(8));
        return plain("signature bit flipped", false, { sig: hex(flipped) });
      },
      async () => plain("signature of another body", false, { sig: hex(await sign(keys.privateKey, ts, rand.pick(pool.filter((b) => b !== body)))) }),
      async () => plain("signed by another key", false, { sig: hex(await sign(keys.otherKey, ts, body)) }),
      () => {
        // The same bytes respelt: "0a" as "az" parses to 0x0a in a lax hex reader.
        const at = rand.below(64) * 2;
        const respelt = sigHex[at] === "0" ? `${sigHex[at + 1]}z` : `${sigHex[at]}g`;
        return plain("signature respelt with non-hex", false, { sig: sigHex.slice(0, at) + respelt + sigHex.slice(at + 2) });
      },
      () => plain("signature truncated", false, { sig: sigHex.slice(0, rand.pick([0, 2, 64, 126, 127])) }),
      () => plain("signature extended", false, { sig: sigHex + rand.pick(["0", "00", "ff", "-"]) }),
      () => plain("timestamp changed", false, { ts: String(Number(ts) + rand.pick([-1, 1, 60])) }),
      () => plain("timestamp respelt", false, { ts: rand.pick([`0${ts}`, `+${ts}`, `${ts}.0`, `${ts}e0`, `0x${Number(ts).toString(16)}`]) }),
      async () => {
        const stale = String(nowS - 301 - rand.below(100_000));
        return plain("validly signed, too old", false, { ts: stale, sig: hex(await sign(keys.privateKey, stale, body)) });
      },
      async () => {
        const future = String(nowS + 301 + rand.below(100_000));
        return plain("validly signed, from the future", false, { ts: future, sig: hex(await sign(keys.privateKey, future, body)) });
      },
      () => plain("timestamp digit moved into the body", false, { ts: ts.slice(0, -1), body: concat(encoder.encode(ts.slice(-1)), body) }),
      () => ({ ...plain("signature header missing", false, {}), headers: [[TS, ts]] }),
      () => ({ ...plain("timestamp header missing", false, {}), headers: [[SIG, sigHex]] }),
      () => plain("signature empty", false, { sig: "" }),
      () => ({ ...plain("signature header twice", false, {}), headers: [[SIG, sigHex], [SIG, "ab".repeat(64)], [TS, ts]] }),
      () => ({ ...plain("timestamp header twice", false, {}), headers: [[SIG, sigHex], [TS, ts], [TS, ts]] }),
    ];
    // One authentic case in ten, forged ones spread over every other mutation.
    cases.push(await (rand.next() < 0.1 ? rand.pick(mutations.slice(0, AUTHENTIC_KINDS)) : rand.pick(mutations.slice(AUTHENTIC_KINDS)))());
  }
  return cases;
}

export function toRequest(fuzz: FuzzCase, url = "https://bot.test/interactions"): Request {
  const headers = new Headers({ "Content-Type": "application/json" });
  for (const [name, value] of fuzz.headers) headers.append(name, value);
  return new Request(url, { method: "POST", headers, body: fuzz.body });
}

export async function ed25519Keys(): Promise<{ keys: FuzzKeys; publicKeyHex: string }> {
  const pair = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as { publicKey: Key; privateKey: Key };
  const other = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as { publicKey: Key; privateKey: Key };
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { keys: { privateKey: pair.privateKey, otherKey: other.privateKey }, publicKeyHex: hex(raw) };
}

export interface SignatureFuzzResult {
  tried: number;
  accepted_forged: number;
  rejected_authentic: number;
  /** Accepted forgeries by mutation, to say what broke. */
  forged_accepted_by_kind: Record<string, number>;
}

/** `n` cases through the Worker's own verifier, in this process: ~10,000 in a few seconds. */
export async function signatureFuzz(n = 10_000, seed = 1): Promise<SignatureFuzzResult> {
  const { keys, publicKeyHex } = await ed25519Keys();
  const nowMs = Date.now();
  const cases = await fuzzCases(n, keys, Math.floor(nowMs / 1000), seed);
  const result: SignatureFuzzResult = { tried: 0, accepted_forged: 0, rejected_authentic: 0, forged_accepted_by_kind: {} };
  for (const fuzz of cases) {
    const accepted = (await verifyInteractionRequest(toRequest(fuzz), publicKeyHex, nowMs)).ok;
    result.tried++;
    if (accepted && !fuzz.authentic) {
      result.accepted_forged++;
      result.forged_accepted_by_kind[fuzz.kind] = (result.forged_accepted_by_kind[fuzz.kind] ?? 0) + 1;
    }
    if (!accepted && fuzz.authentic) result.rejected_authentic++;
  }
  return result;
}
