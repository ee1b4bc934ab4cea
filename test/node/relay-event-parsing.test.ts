import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseIsoTimestamp, parseRelayEvent } from "../../worker/relay/event";
import { verifyRelaySignature } from "../../worker/relay/signature";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const G = "710000000000000001";
const U = "720000000000000001";

const join = (fields: Record<string, unknown>) => ({
  id: "1",
  t: "GUILD_MEMBER_ADD",
  d: { guild_id: G, user: { id: U }, joined_at: "2026-11-22T11:00:00Z", ...fields },
});
const invite = (fields: Record<string, unknown>) => ({ id: "1", t: "INVITE_CREATE", d: { guild_id: G, code: "abc", ...fields } });

describe("parseRelayEvent", () => {
  it.each([
    ["a member join", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G, user: { id: U }, joined_at: "2026-11-22T11:59:59Z", flags: 1 } },
      { t: "GUILD_MEMBER_ADD", guildId: G, userId: U, joinedAt: NOW - 1000, didRejoin: true, bot: false }],
    ["a bot join", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G, user: { id: U, bot: true }, joined_at: "2026-11-22T12:00:00.000000+00:00" } },
      { t: "GUILD_MEMBER_ADD", joinedAt: NOW, didRejoin: false, bot: true }],
    ["a join stamped 4 minutes ahead (Discord's clock)", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G, user: { id: U }, joined_at: "2026-11-22T12:04:00Z" } },
      { joinedAt: NOW + 240_000 }],
    ["a member leaving", { id: "1", t: "GUILD_MEMBER_REMOVE", d: { guild_id: G, user: { id: U } } }, { t: "GUILD_MEMBER_REMOVE", userId: U }],
    ["an invite created", { id: "1", t: "INVITE_CREATE", d: { guild_id: G, code: "abc", uses: 0, max_uses: 1, max_age: 60, created_at: "2026-11-22T11:00:00Z", inviter: { id: U } } },
      { t: "INVITE_CREATE", invite: { code: "abc", uses: 0, maxUses: 1, maxAge: 60, inviterId: U, createdAt: NOW - 3_600_000, expiresAt: NOW - 3_540_000 } }],
    ["an invite deleted", { id: "1", t: "INVITE_DELETE", d: { guild_id: G, code: "abc", channel_id: G } }, { t: "INVITE_DELETE", code: "abc" }],
    ["a guild", { id: "1", t: "GUILD_CREATE", d: { id: G, features: ["VANITY_URL"], vanity_url_code: "town", joined_at: "2026-11-22T11:00:00.000000+00:00" } },
      { t: "GUILD_CREATE", guildId: G, features: ["VANITY_URL"], vanityCode: "town", botJoinedAt: NOW - 3_600_000 }],
    ["an unavailable guild", { id: "1", t: "GUILD_CREATE", d: { id: G, unavailable: true } }, { features: [], vanityCode: null, botJoinedAt: null }],
    ["the bot removed from a guild", { id: "1", t: "GUILD_DELETE", d: { id: G } }, { t: "GUILD_DELETE", guildId: G, unavailable: false }],
    ["a guild's outage", { id: "1", t: "GUILD_DELETE", d: { id: G, unavailable: true } }, { t: "GUILD_DELETE", guildId: G, unavailable: true }],
    ["a recent joiner's roles changing", { id: "1", t: "GUILD_MEMBER_UPDATE", d: { guild_id: G, user: { id: U }, joined_at: "2026-11-22T11:59:59Z", roles: [U, U] } },
      { t: "GUILD_MEMBER_UPDATE", guildId: G, userId: U, joinedAt: NOW - 1000, roles: [U] }],
    ["an invite that marks its members", invite({ role_ids: [U] }), { invite: { code: "abc", roles: [U] } }],
    ["an invite at Discord's limits", { id: "1", t: "INVITE_CREATE", d: { guild_id: G, code: "abc", uses: 2_147_483_647, max_uses: 100, max_age: 604_800 } },
      { invite: { uses: 2_147_483_647, maxUses: 100, maxAge: 604_800, createdAt: NOW } }],
  ])("accepts %s", (_label, body, expected) => {
    const parsed = parseRelayEvent(body, NOW);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.event).toMatchObject(expected);
  });

  it.each([
    ["an array", []],
    ["an empty id", { id: "", t: "GUILD_MEMBER_ADD", d: {} }],
    ["an id over 200 characters", { id: "x".repeat(201), t: "GUILD_MEMBER_ADD", d: {} }],
    ["an unknown event", { id: "1", t: "PRESENCE_UPDATE", d: {} }],
    ["d not an object", { id: "1", t: "GUILD_MEMBER_ADD", d: "x" }],
    ["a guild id that is not a snowflake", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: "g", user: { id: U } } }],
    ["no user", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G } }],
    ["an invite code with a slash", { id: "1", t: "INVITE_DELETE", d: { guild_id: G, code: "a/b" } }],
    ["fractional uses", { id: "1", t: "INVITE_CREATE", d: { guild_id: G, code: "abc", uses: 0.5 } }],
    // The poison rows: each was accepted and then stalled the guild's outbox.
    ["uses beyond Postgres' integer", invite({ uses: 3_000_000_000 })],
    ["max_age 1e300", invite({ max_age: 1e300 })],
    ["joined_at in year 0", join({ joined_at: "0000-01-01T00:00:00Z" })],
    ["joined_at 'garbage 1'", join({ joined_at: "garbage 1" })],
    ["joined_at 'not a date'", join({ joined_at: "not a date" })],
    ["joined_at in 2999", join({ joined_at: "2999-01-01" })],
    ["joined_at 10 minutes ahead", join({ joined_at: "2026-11-22T12:10:00Z" })],
    ["joined_at before Discord", join({ joined_at: "2014-12-31T23:59:59Z" })],
    ["joined_at on 30 February", join({ joined_at: "2026-02-30T00:00:00Z" })],
    ["joined_at as a number", join({ joined_at: NOW })],
    ["no joined_at", join({ joined_at: undefined })],
    ["flags as a string", join({ flags: "1" })],
    ["user.bot as a string", join({ user: { id: U, bot: "yes" } })],
    ["a 16-digit user id", join({ user: { id: "1234567890123456" } })],
    ["a 21-digit user id", join({ user: { id: "123456789012345678901" } })],
    ["a snowflake minted next year", join({ user: { id: String(((BigInt(NOW + 365 * 86_400_000) - 1_420_070_400_000n) << 22n)) } })],
    ["max_uses 101", invite({ max_uses: 101 })],
    ["a role id that is not a snowflake", invite({ role_ids: ["admin"] })],
    ["roles that are no list", join({ roles: "admin" })],
    ["251 roles", join({ roles: Array.from({ length: 251 }, () => U) })],
    ["max_age a week and a second", invite({ max_age: 604_801 })],
    ["max_age as a string", invite({ max_age: "60" })],
    ["created_at not a date", invite({ created_at: "yesterday" })],
    ["an inviter without a snowflake", invite({ inviter: { id: "me" } })],
    ["a channel id that is not a snowflake", invite({ channel_id: 5 })],
    ["a feature that is not a string", { id: "1", t: "GUILD_CREATE", d: { id: G, features: ["VANITY_URL", 5] } }],
    ["101 features", { id: "1", t: "GUILD_CREATE", d: { id: G, features: Array.from({ length: 101 }, (_, i) => `F${i}`) } }],
    ["a feature of 65 characters", { id: "1", t: "GUILD_CREATE", d: { id: G, features: ["F".repeat(65)] } }],
    ["a vanity code with a space", { id: "1", t: "GUILD_CREATE", d: { id: G, vanity_url_code: "a b" } }],
    ["a GUILD_DELETE without a snowflake", { id: "1", t: "GUILD_DELETE", d: { id: "me" } }],
    ["a GUILD_DELETE whose unavailable is a string", { id: "1", t: "GUILD_DELETE", d: { id: G, unavailable: "yes" } }],
    ["a guild's joined_at not a date", { id: "1", t: "GUILD_CREATE", d: { id: G, joined_at: "when the bot came" } }],
  ])("refuses %s", (_label, body) => {
    expect(parseRelayEvent(body, NOW).ok).toBe(false);
  });

  it("names every bad field in one problem", () => {
    const parsed = parseRelayEvent(invite({ uses: -1, max_uses: 101 }), NOW);
    expect(parsed).toEqual({ ok: false, problem: "INVITE_CREATE: d.uses must be an integer from 0 to 2147483647; d.max_uses must be an integer from 0 to 100" });
  });
});

describe("parseIsoTimestamp", () => {
  it.each([
    ["2026-11-22T12:00:00Z", NOW],
    ["2026-11-22T12:00:00.5Z", NOW + 500],
    ["2026-11-22T12:00:00.123456+00:00", NOW + 123],
    ["2026-11-22T13:30:00+01:30", NOW],
    ["2026-11-22T10:00:00-02:00", NOW],
    ["2024-02-29T00:00:00Z", Date.parse("2024-02-29T00:00:00Z")],
  ])("reads %s", (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected);
  });

  it.each(["2026-11-22", "2026-11-22 12:00:00Z", "2026-11-22T12:00:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z",
    "2026-11-22T12:00:60Z", "2026-11-22T12:00:00+15:00", " 2026-11-22T12:00:00Z", "+002026-11-22T12:00:00Z"])("refuses %s", (text) => {
    expect(parseIsoTimestamp(text)).toBeNull();
  });
});

describe("verifyRelaySignature", () => {
  const secret = "s".repeat(32);
  const body = '{"id":"1"}';
  const ts = String(NOW / 1000);
  const sign = (t: string, b: string, s = secret) => createHmac("sha256", s).update(`${t}.${b}`).digest("hex");

  it.each([
    ["a good signature", ts, sign(ts, body), NOW, "ok"],
    ["an uppercase hex signature", ts, sign(ts, body).toUpperCase(), NOW, "ok"],
    ["another body", ts, sign(ts, '{"id":"2"}'), NOW, "bad_signature"],
    ["another secret", ts, sign(ts, body, "other"), NOW, "bad_signature"],
    ["non-hex", ts, "nothex", NOW, "bad_signature"],
    ["299 s old", String(NOW / 1000 - 299), sign(String(NOW / 1000 - 299), body), NOW, "ok"],
    ["301 s old", String(NOW / 1000 - 301), sign(String(NOW / 1000 - 301), body), NOW, "stale"],
    ["a non-numeric timestamp", "soon", sign("soon", body), NOW, "stale"],
    ["no signature", ts, undefined, NOW, "missing"],
  ])("%s → %s", async (_label, timestamp, signature, now, expected) => {
    expect(await verifyRelaySignature(secret, body, timestamp, signature, now)).toBe(expected);
  });
});
