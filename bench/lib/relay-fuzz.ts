/**
 * Hostile `POST /relay/events` requests: malformed, oversized, wrong-typed,
 * out-of-range and replayed. Every one must be refused with a 4xx (the relay
 * parks 4xx; a 5xx it would retry forever) and none may leave a row behind.
 *
 * Runs anywhere WebCrypto does (Node for the benches, workerd for the tests):
 * the caller supplies `send`, so the same cases go through `exports.default.fetch`
 * in a test or over HTTP to `wrangler dev` in a bench.
 */

export type RelaySend = (body: string, headers: Record<string, string>) => Promise<{ status: number }>;

export interface RelayFuzzCase {
  name: string;
  body: string;
  /** Signed when sent: the Worker's 300 s window runs from then, not from when the cases were built. */
  headers(nowMs: number): Promise<Record<string, string>>;
}

export interface RelayFuzzReport {
  sent: number;
  /** Count of answers per HTTP status, e.g. `{ "400": 120, "401": 3, "413": 2 }`. */
  byStatus: Record<string, number>;
  /** Cases answered with anything but a 4xx: each is a defect. */
  unexpected: Array<{ name: string; status: number }>;
  /** Answers of 500 or more: `relay_fuzz_500s`. */
  fiveHundreds: number;
}

export interface RelayFuzzOptions {
  secret: string;
  /** A real (valid) guild id: hostile events aim at a live guild, so a wrongly accepted one would show there. */
  guildId: string;
  /** Called after each case is answered, e.g. to send a valid join and check the guild still flows. */
  afterEach?: (fuzzCase: RelayFuzzCase, status: number) => Promise<void>;
  nowMs?: () => number;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const MIB = 1024 * 1024;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** hex HMAC-SHA256(secret, timestamp + "." + body), as the relay signs (DESIGN.md, "Interfaces"). */
export async function signRelay(secret: string, body: string, timestampS: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestampS}.${body}`)));
}

export async function relayHeaders(secret: string, body: string, timestampS: number): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "x-relay-timestamp": String(timestampS),
    "x-relay-signature": await signRelay(secret, body, timestampS),
  };
}

/** A snowflake minted at `ms` (Discord's layout: ms since its epoch, shifted past 22 bits of worker/sequence). */
const snowflakeAt = (ms: number) => String((BigInt(ms) - DISCORD_EPOCH) << 22n);

type Path = readonly string[];
/** Sentinel: remove the field rather than set it. */
const ABSENT = Symbol("absent");

const withField = (d: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> => {
  const copy = structuredClone(d);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === ABSENT) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
};

/** Values each kind of field must refuse. `required` fields also refuse absence and null. */
function hostileValues(now: number) {
  const wrongTypes = [true, [], {}, [1], { $gt: 0 }];
  const snowflake = [
    "", "abc", "0", "1234567890123456", "123456789012345678901", "-710000000000000001", " 710000000000000001", "7100000000000000e1",
    snowflakeAt(now + 3_600_000), "99999999999999999999", 7.1e17, ...wrongTypes,
  ];
  const count = (max: number) => [-1, 1.5, max + 1, 3_000_000_000, 2 ** 53, 1e300, -0.5, "1", "0x10", ...wrongTypes];
  const time = [
    "garbage 1", "not a date", "2999-01-01", "2999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2014-12-31T23:59:59Z",
    new Date(now + 3_600_000).toISOString(), "2026-02-30T00:00:00Z", "2026-11-22T25:00:00Z", "", "1700000000", now, -1, ...wrongTypes,
  ];
  const code = ["", "a/b", "a b", "../../x", "x".repeat(65), "émoji", 5, ...wrongTypes];
  return { snowflake, count, time, code, wrongTypes };
}

/** The hostile cases, before signing. Each body is a string so malformed JSON fits too. */
function hostileBodies(guildId: string, now: number): Array<{ name: string; body: string }> {
  const v = hostileValues(now);
  const user = "720000000000000001";
  const iso = new Date(now - 60_000).toISOString();
  const templates: Record<string, Record<string, unknown>> = {
    GUILD_MEMBER_ADD: { guild_id: guildId, user: { id: user, username: "fuzz", bot: false }, joined_at: iso, flags: 0, roles: [] },
    GUILD_MEMBER_REMOVE: { guild_id: guildId, user: { id: user, username: "fuzz" } },
    INVITE_CREATE: { guild_id: guildId, code: "fuzzCode", uses: 0, max_uses: 0, max_age: 0, created_at: iso, channel_id: guildId, inviter: { id: user } },
    INVITE_DELETE: { guild_id: guildId, code: "fuzzCode", channel_id: guildId },
    GUILD_CREATE: { id: guildId, features: ["VANITY_URL"], vanity_url_code: "fuzz" },
  };
  // [event, field path, hostile values, required]
  const fields: Array<[string, Path, unknown[], boolean]> = [
    ["GUILD_MEMBER_ADD", ["guild_id"], v.snowflake, true],
    ["GUILD_MEMBER_ADD", ["user"], ["x", 5, []], true],
    ["GUILD_MEMBER_ADD", ["user", "id"], v.snowflake, true],
    ["GUILD_MEMBER_ADD", ["user", "bot"], ["yes", 1, null, {}], false],
    ["GUILD_MEMBER_ADD", ["joined_at"], v.time, true],
    ["GUILD_MEMBER_ADD", ["flags"], [-1, 1.5, "1", 2 ** 31, 1e300, null, ...v.wrongTypes], false],
    ["GUILD_MEMBER_REMOVE", ["guild_id"], v.snowflake, true],
    ["GUILD_MEMBER_REMOVE", ["user", "id"], v.snowflake, true],
    ["INVITE_CREATE", ["guild_id"], v.snowflake, true],
    ["INVITE_CREATE", ["code"], v.code, true],
    ["INVITE_CREATE", ["uses"], v.count(2_147_483_647), false],
    ["INVITE_CREATE", ["max_uses"], v.count(100), false],
    ["INVITE_CREATE", ["max_age"], v.count(604_800), false],
    ["INVITE_CREATE", ["created_at"], [...v.time, null], false],
    ["INVITE_CREATE", ["channel_id"], v.snowflake, false],
    ["INVITE_CREATE", ["inviter"], ["x", 5, []], false],
    ["INVITE_CREATE", ["inviter", "id"], v.snowflake, true],
    ["INVITE_DELETE", ["guild_id"], v.snowflake, true],
    ["INVITE_DELETE", ["code"], v.code, true],
    ["GUILD_CREATE", ["id"], v.snowflake, true],
    ["GUILD_CREATE", ["features"], ["VANITY_URL", [5], [null], ["vanity_url"], ["F".repeat(65)], Array.from({ length: 101 }, (_, i) => `F${i}`), {}, 5], false],
    ["GUILD_CREATE", ["vanity_url_code"], v.code, false],
  ];
  const bodies: Array<{ name: string; body: string }> = [];
  let n = 0;
  const id = () => `fuzz:${now}:${n++}`;
  for (const [t, path, values, required] of fields) {
    for (const value of required ? [...values, ABSENT, null] : values) {
      const shown = value === ABSENT ? "absent" : JSON.stringify(value).slice(0, 40);
      bodies.push({ name: `${t} ${path.join(".")} = ${shown}`, body: JSON.stringify({ id: id(), t, d: withField(templates[t]!, path, value) }) });
    }
  }
  const member = templates.GUILD_MEMBER_ADD!;
  const envelope = (fields: Record<string, unknown>) => JSON.stringify({ id: id(), t: "GUILD_MEMBER_ADD", d: member, ...fields });
  bodies.push(
    { name: "not JSON", body: "{nope" },
    { name: "truncated JSON", body: envelope({}).slice(0, -3) },
    { name: "empty body", body: "" },
    { name: "JSON null", body: "null" },
    { name: "JSON array", body: "[]" },
    { name: "JSON string", body: '"GUILD_MEMBER_ADD"' },
    { name: "no id", body: JSON.stringify({ t: "GUILD_MEMBER_ADD", d: member }) },
    { name: "empty id", body: envelope({ id: "" }) },
    { name: "id of 201 characters", body: envelope({ id: "x".repeat(201) }) },
    { name: "numeric id", body: envelope({ id: 5 }) },
    { name: "unknown event", body: envelope({ t: "MESSAGE_CREATE" }) },
    { name: "lowercase event", body: envelope({ t: "guild_member_add" }) },
    { name: "t as a number", body: envelope({ t: 5 }) },
    { name: "d null", body: envelope({ d: null }) },
    { name: "d an array", body: envelope({ d: [member] }) },
    { name: "d a string", body: envelope({ d: JSON.stringify(member) }) },
    { name: "deeply nested d", body: `{"id":"${id()}","t":"GUILD_MEMBER_ADD","d":${"[".repeat(5_000)}${"]".repeat(5_000)}}` },
    // Oversized: just over 1 MiB of otherwise valid JSON, and the 3 MB GUILD_CREATE that once hit SQLITE_TOOBIG.
    { name: "body over 1 MiB", body: envelope({ pad: "x".repeat(MIB) }) },
    {
      name: "3 MB GUILD_CREATE",
      body: JSON.stringify({ id: id(), t: "GUILD_CREATE", d: { id: guildId, features: Array.from({ length: 150_000 }, (_, i) => `FEATURE_${i}`) } }),
    },
    { name: "700 KB of features", body: JSON.stringify({ id: id(), t: "GUILD_CREATE", d: { id: guildId, features: Array.from({ length: 50_000 }, (_, i) => `F${i}`) } }) },
  );
  return bodies;
}

/** Every hostile case, each signed (or deliberately mis-signed) as it is sent. */
export function hostileRelayCases(options: { secret: string; guildId: string; nowMs?: number }): RelayFuzzCase[] {
  const { secret, guildId } = options;
  const valid = JSON.stringify({ id: `fuzz:replay:${guildId}`, t: "GUILD_MEMBER_REMOVE", d: { guild_id: guildId, user: { id: "720000000000000001" } } });
  /** Headers signed when sent, `offsetS` away from the sender's clock. */
  const at = (offsetS: number, body = valid, key = secret) => (nowMs: number) => relayHeaders(key, body, Math.floor(nowMs / 1000) + offsetS);
  const signed = hostileBodies(guildId, options.nowMs ?? Date.now()).map(({ name, body }) => ({ name, body, headers: at(0, body) }));
  // Replays and forgeries of a valid event: only the signature or its age is wrong.
  const replayed: Array<{ name: string; headers: RelayFuzzCase["headers"] }> = [
    // A minute past the 300 s window either way, so clock drift between sender and Worker cannot bring it back in.
    { name: "replayed 6 minutes later", headers: at(-360) },
    { name: "sent 6 minutes ahead", headers: at(360) },
    { name: "signed with another secret", headers: at(0, valid, `${secret}x`) },
    {
      name: "a fresh timestamp on an old signature",
      headers: async (nowMs) => ({ ...(await at(-360)(nowMs)), "x-relay-timestamp": String(Math.floor(nowMs / 1000)) }),
    },
    {
      name: "another body's signature",
      headers: async (nowMs) => ({ ...(await at(0)(nowMs)), "x-relay-signature": (await at(0, `${valid} `)(nowMs))["x-relay-signature"]! }),
    },
    { name: "no signature", headers: async (nowMs) => ({ "content-type": "application/json", "x-relay-timestamp": String(Math.floor(nowMs / 1000)) }) },
    { name: "no timestamp", headers: async (nowMs) => ({ "content-type": "application/json", "x-relay-signature": (await at(0)(nowMs))["x-relay-signature"]! }) },
    { name: "a timestamp in milliseconds", headers: (nowMs) => relayHeaders(secret, valid, nowMs) },
  ];
  return [...signed, ...replayed.map((c) => ({ ...c, body: valid }))];
}

/** Sends every hostile case through `send` and counts the answers. */
export async function runRelayFuzz(send: RelaySend, options: RelayFuzzOptions): Promise<RelayFuzzReport> {
  const now = options.nowMs ?? Date.now;
  const report: RelayFuzzReport = { sent: 0, byStatus: {}, unexpected: [], fiveHundreds: 0 };
  for (const fuzzCase of hostileRelayCases({ secret: options.secret, guildId: options.guildId, nowMs: now() })) {
    const { status } = await send(fuzzCase.body, await fuzzCase.headers(now()));
    report.sent++;
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    if (status >= 500) report.fiveHundreds++;
    if (status < 400 || status >= 500) report.unexpected.push({ name: fuzzCase.name, status });
    await options.afterEach?.(fuzzCase, status);
  }
  return report;
}
