import { describe, expect, it } from "vitest";
import { backoffDelay, classifyResponse, parseRetryAfter } from "../../relay/backoff.ts";
import { nextBatch } from "../../relay/batch.ts";
import { ConfigError, loadConfig, restEndpoint } from "../../relay/config.ts";
import { guildOf, NO_GUILD, toRelayEvent, type DispatchPayload } from "../../relay/mapping.ts";
import { signBody, signedHeaders } from "../../relay/signing.ts";

const SESSION = "0123456789abcdef0123456789abcdef";

describe("mapping", () => {
  it.each<[string, DispatchPayload, { id: string; t: string; d: unknown } | null, string | null]>([
    [
      "GUILD_CREATE keeps id, features, vanity code and the bot's joined_at only",
      { t: "GUILD_CREATE", s: 2, d: { id: "10", name: "x", features: ["VANITY_URL"], vanity_url_code: "cool", joined_at: "2026-01-01T00:00:00Z", members: [{}], channels: [] } },
      { id: `${SESSION}:2`, t: "GUILD_CREATE", d: { id: "10", features: ["VANITY_URL"], vanity_url_code: "cool", joined_at: "2026-01-01T00:00:00Z" } },
      "10",
    ],
    [
      "an unavailable GUILD_CREATE keeps its flag",
      { t: "GUILD_CREATE", s: 3, d: { id: "10", unavailable: true } },
      { id: `${SESSION}:3`, t: "GUILD_CREATE", d: { id: "10", features: undefined, vanity_url_code: undefined, unavailable: true } },
      "10",
    ],
    [
      "GUILD_MEMBER_ADD passes unchanged",
      { t: "GUILD_MEMBER_ADD", s: 7, d: { guild_id: "10", user: { id: "5" }, joined_at: "2026-01-01T00:00:00Z" } },
      { id: `${SESSION}:7`, t: "GUILD_MEMBER_ADD", d: { guild_id: "10", user: { id: "5" }, joined_at: "2026-01-01T00:00:00Z" } },
      "10",
    ],
    [
      "GUILD_MEMBER_REMOVE passes unchanged",
      { t: "GUILD_MEMBER_REMOVE", s: 8, d: { guild_id: "10", user: { id: "5" } } },
      { id: `${SESSION}:8`, t: "GUILD_MEMBER_REMOVE", d: { guild_id: "10", user: { id: "5" } } },
      "10",
    ],
    [
      "INVITE_CREATE passes unchanged",
      { t: "INVITE_CREATE", s: 9, d: { guild_id: "10", code: "abc", uses: 0 } },
      { id: `${SESSION}:9`, t: "INVITE_CREATE", d: { guild_id: "10", code: "abc", uses: 0 } },
      "10",
    ],
    [
      "INVITE_DELETE passes unchanged",
      { t: "INVITE_DELETE", s: 10, d: { guild_id: "10", channel_id: "3", code: "abc" } },
      { id: `${SESSION}:10`, t: "INVITE_DELETE", d: { guild_id: "10", channel_id: "3", code: "abc" } },
      "10",
    ],
    [
      "an invite without a guild goes to the no-guild queue",
      { t: "INVITE_DELETE", s: 11, d: { channel_id: "3", code: "abc" } },
      { id: `${SESSION}:11`, t: "INVITE_DELETE", d: { channel_id: "3", code: "abc" } },
      NO_GUILD,
    ],
    ["GUILD_DELETE (the bot was removed) is forwarded, keyed by the guild's id", { t: "GUILD_DELETE", s: 13, d: { id: "10" } }, { id: `${SESSION}:13`, t: "GUILD_DELETE", d: { id: "10" } }, "10"],
    [
      "GUILD_DELETE of an outage keeps `unavailable`",
      { t: "GUILD_DELETE", s: 14, d: { id: "10", unavailable: true } },
      { id: `${SESSION}:14`, t: "GUILD_DELETE", d: { id: "10", unavailable: true } },
      "10",
    ],
    ["other dispatches are not forwarded", { t: "GUILD_MEMBER_UPDATE", s: 12, d: { guild_id: "10" } }, null, null],
    ["READY is not forwarded", { t: "READY", s: 1, d: {} }, null, null],
  ])("%s", (_name, payload, expected, guild) => {
    const event = toRelayEvent(payload, SESSION);
    expect(event).toEqual(expected);
    if (event) expect(guildOf(event)).toBe(guild);
  });

  it("gives a replayed dispatch the id it had the first time, and a new session new ids", () => {
    const payload = { t: "GUILD_MEMBER_ADD", s: 42, d: { guild_id: "10", user: { id: "5" } } };
    expect(toRelayEvent(payload, SESSION)?.id).toBe(toRelayEvent({ ...payload }, SESSION)?.id);
    expect(toRelayEvent(payload, SESSION)?.id).not.toBe(toRelayEvent(payload, "another-session")?.id);
  });
});

describe("signing", () => {
  // Expected values computed independently with `openssl dgst -sha256 -hmac`.
  it.each([
    ["test-relay-secret-0123456789", 1_700_000_000, '{"id":"s:1","t":"GUILD_MEMBER_ADD","d":{}}', "01e0487a262b9e8725065c182bcf60ca4be3ccf3d5e1565cdbf47a0394fa16de"],
    ["k", 0, "", "6b4a4b8b3c40f1e8f53a3d36682e5f99f7ad2ac1df1c93dfe336f329167641e7"],
  ])("HMAC-SHA256(%s, timestamp.body)", (secret, timestamp, body, expected) => {
    expect(signBody(secret, timestamp, body)).toBe(expected);
  });

  it("stamps the send time in whole seconds", () => {
    const headers = signedHeaders("k", "", 1_999);
    expect(headers["x-relay-timestamp"]).toBe("1");
    expect(headers["x-relay-signature"]).toBe(signBody("k", 1, ""));
    expect(headers["content-type"]).toBe("application/json");
  });
});

describe("backoff", () => {
  const policy = { baseMs: 100, maxMs: 5_000 };
  it.each([
    [0, 0.5, 50],
    [1, 0.5, 100],
    [3, 0.999, 799],
    [6, 0.5, 2_500], // 6400 capped at 5000
    [60, 0.5, 2_500], // no overflow on long outages
    [4, 0, 0],
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy, () => random)).toBe(expected);
  });

  it.each([
    [null, null],
    ["", null],
    ["3", 3_000],
    ["0.5", 500],
    ["Thu, 01 Jan 1970 00:00:10 GMT", 9_000],
    ["Thu, 01 Jan 1970 00:00:00 GMT", 0],
    ["soon", null],
  ])("Retry-After %j → %j ms", (header, expected) => {
    expect(parseRetryAfter(header, 1_000)).toBe(expected);
  });

  it.each([
    [202, null, { kind: "accepted" }],
    [200, null, { kind: "retry", afterMs: null }],
    [500, null, { kind: "retry", afterMs: null }],
    [503, "2", { kind: "retry", afterMs: null }],
    [429, "2", { kind: "retry", afterMs: 2_000 }],
    [429, null, { kind: "retry", afterMs: null }],
    [400, null, { kind: "park" }],
    [401, null, { kind: "park" }],
    [404, null, { kind: "park" }],
    [413, null, { kind: "park" }],
    [302, null, { kind: "retry", afterMs: null }],
  ])("HTTP %i (Retry-After %j) → %j", (status, retryAfter, expected) => {
    expect(classifyResponse(status, retryAfter, 0)).toEqual(expected);
  });
});

describe("config", () => {
  const valid = {
    DISCORD_BOT_TOKEN: "t",
    RELAY_TARGET_URL: "http://127.0.0.1:8787/relay/events",
    RELAY_SECRET: "0123456789abcdef",
  };

  it("applies defaults", () => {
    expect(loadConfig(valid)).toMatchObject({
      spoolPath: ".data/relay-spool",
      apiBase: "https://discord.com/api/v10",
      healthPort: 8788,
      backoff: { baseMs: 500, maxMs: 30_000 },
    });
  });

  it.each([
    [{ DISCORD_BOT_TOKEN: "" }, "DISCORD_BOT_TOKEN is required"],
    [{ RELAY_TARGET_URL: "not a url" }, "RELAY_TARGET_URL is not a URL"],
    [{ RELAY_TARGET_URL: "ftp://x/relay/events" }, "RELAY_TARGET_URL must be http(s)"],
    [{ RELAY_SECRET: "short" }, "RELAY_SECRET must be at least 16 characters"],
    [{ RELAY_HEALTH_PORT: "http" }, "RELAY_HEALTH_PORT must be an integer"],
    [{ DISCORD_API_BASE: "https://discord.com/api" }, "DISCORD_API_BASE must end in /v<version>"],
    [{ RELAY_BACKOFF_BASE_MS: "1000", RELAY_BACKOFF_MAX_MS: "10" }, "RELAY_BACKOFF_MAX_MS must be ≥"],
    [{ RELAY_LOG_LEVEL: "loud" }, "RELAY_LOG_LEVEL must be"],
    [{ RELAY_SHARD_IDS: "0-3", RELAY_HEALTH_PORT: "9000" }, "RELAY_SHARD_IDS needs RELAY_SHARD_COUNT"],
    [{ RELAY_SHARD_COUNT: "0" }, "RELAY_SHARD_COUNT must be an integer in [1, 65536], got \"0\""],
    [{ RELAY_SHARD_COUNT: "two" }, "RELAY_SHARD_COUNT must be an integer"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "0..3", RELAY_HEALTH_PORT: "9000" }, "RELAY_SHARD_IDS must be a range such as 0-3"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "0,1", RELAY_HEALTH_PORT: "9000" }, "RELAY_SHARD_IDS must be a range such as 0-3"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "-1", RELAY_HEALTH_PORT: "9000" }, "RELAY_SHARD_IDS must be a range such as 0-3"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "5-2", RELAY_HEALTH_PORT: "9000" }, "RELAY_SHARD_IDS 5-2 runs backwards"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "4-8", RELAY_HEALTH_PORT: "9000" }, "goes past RELAY_SHARD_COUNT 8 (shard ids are 0-7)"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "4-7" }, "RELAY_HEALTH_PORT is required with RELAY_SHARD_IDS"],
  ])("rejects %j", (override, problem) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrowError(ConfigError);
    expect(() => loadConfig({ ...valid, ...override })).toThrowError(problem);
  });

  it.each([
    [{}, null, ".data/relay-spool"],
    [{ RELAY_SHARD_COUNT: "4" }, { count: 4, first: 0, last: 3 }, ".data/relay-spool"],
    [{ RELAY_SHARD_COUNT: "8", RELAY_SHARD_IDS: "4-7", RELAY_HEALTH_PORT: "9001" }, { count: 8, first: 4, last: 7 }, ".data/relay-spool-shards-4-7"],
    [{ RELAY_SHARD_COUNT: " 2 ", RELAY_SHARD_IDS: " 1 ", RELAY_HEALTH_PORT: "9001" }, { count: 2, first: 1, last: 1 }, ".data/relay-spool-shards-1"],
    [{ RELAY_SHARD_COUNT: "2", RELAY_SHARD_IDS: "0-1", RELAY_HEALTH_PORT: "9001", RELAY_SPOOL_PATH: "/var/spool" }, { count: 2, first: 0, last: 1 }, "/var/spool"],
  ])("shards from %j: %j, spool %s", (override, shards, spoolPath) => {
    expect(loadConfig({ ...valid, ...override })).toMatchObject({ shards, spoolPath });
  });

  it.each([
    ["https://discord.com/api/v10", { api: "https://discord.com/api", version: "10" }],
    ["http://127.0.0.1:9000/api/v9/", { api: "http://127.0.0.1:9000/api", version: "9" }],
  ])("splits %s for @discordjs/rest", (base, expected) => {
    expect(restEndpoint(base)).toEqual(expected);
  });
});

describe("nextBatch", () => {
  const event = (n: number, pad = 0) => JSON.stringify({ id: `s:${n}`, t: "GUILD_MEMBER_REMOVE", d: { n, pad: "x".repeat(pad) } });
  const events = (count: number, pad = 0) => Array.from({ length: count }, (_, i) => event(i + 1, pad));
  it.each([
    ["no event", [], 100, 1024, 0],
    ["one event, sent as itself", events(1), 100, 1024, 1],
    ["three events", events(3), 100, 1024, 3],
    ["more than the event limit", events(7), 5, 1024, 5],
    ["more than the byte limit", events(10, 100), 100, 400, 2],
    ["a first event alone over the byte limit", events(3, 1000), 100, 400, 1],
  ])("takes %s", (_label, bodies, maxEvents, maxBytes, count) => {
    const batch = nextBatch(bodies, maxEvents, maxBytes);
    expect(batch.count).toBe(count);
    if (count === 1) expect(batch.body).toBe(bodies[0]);
    if (count > 1) {
      expect(JSON.parse(batch.body)).toEqual({ events: bodies.slice(0, count).map((b) => JSON.parse(b)) });
      expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(maxBytes);
    }
  });
});
