import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseRelayEvent } from "../../worker/relay/event";
import { verifyRelaySignature } from "../../worker/relay/signature";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const G = "710000000000000001";
const U = "720000000000000001";

describe("parseRelayEvent", () => {
  it.each([
    ["a member join", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G, user: { id: U }, joined_at: "2026-11-22T11:59:59Z", flags: 1 } },
      { t: "GUILD_MEMBER_ADD", guildId: G, userId: U, joinedAt: NOW - 1000, didRejoin: true, bot: false }],
    ["a bot join", { id: "1", t: "GUILD_MEMBER_ADD", d: { guild_id: G, user: { id: U, bot: true } } },
      { t: "GUILD_MEMBER_ADD", joinedAt: NOW, didRejoin: false, bot: true }],
    ["a member leaving", { id: "1", t: "GUILD_MEMBER_REMOVE", d: { guild_id: G, user: { id: U } } }, { t: "GUILD_MEMBER_REMOVE", userId: U }],
    ["an invite created", { id: "1", t: "INVITE_CREATE", d: { guild_id: G, code: "abc", uses: 0, max_uses: 1, max_age: 60, created_at: "2026-11-22T11:00:00Z", inviter: { id: U } } },
      { t: "INVITE_CREATE", invite: { code: "abc", uses: 0, maxUses: 1, maxAge: 60, inviterId: U, createdAt: NOW - 3_600_000, expiresAt: NOW - 3_540_000 } }],
    ["an invite deleted", { id: "1", t: "INVITE_DELETE", d: { guild_id: G, code: "abc", channel_id: G } }, { t: "INVITE_DELETE", code: "abc" }],
    ["a guild", { id: "1", t: "GUILD_CREATE", d: { id: G, features: ["VANITY_URL", 5], vanity_url_code: "town" } },
      { t: "GUILD_CREATE", guildId: G, features: ["VANITY_URL"], vanityCode: "town" }],
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
  ])("refuses %s", (_label, body) => {
    expect(parseRelayEvent(body, NOW).ok).toBe(false);
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
