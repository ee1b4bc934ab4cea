import { describe, expect, it } from "vitest";
import { LINK_SKEW_S, LINK_TTL_S, signLink, verifyLink } from "../../worker/dashboard/token";

const SECRET = "a bot token";
const NOW = 1_800_000_000;
const claims = (expiresAt: number) => ({ guildId: "123456789012345678", adminId: "200000000000000001", expiresAt });

describe("verifyLink", () => {
  it.each([
    ["an hour ahead, as the bot signs", NOW + LINK_TTL_S, "ok"],
    ["a second ahead", NOW + 1, "ok"],
    ["an hour ahead plus the clock skew", NOW + LINK_TTL_S + LINK_SKEW_S, "ok"],
    ["just past the skew", NOW + LINK_TTL_S + LINK_SKEW_S + 1, "too_far_ahead"],
    ["a year ahead", NOW + 365 * 86_400, "too_far_ahead"],
    ["the largest ten-digit expiry", 9_999_999_999, "too_far_ahead"],
    ["now", NOW, "expired"],
    ["a second ago", NOW - 1, "expired"],
  ])("a correctly signed link expiring %s: %s", async (_, expiresAt, expected) => {
    const checked = await verifyLink(SECRET, await signLink(SECRET, claims(expiresAt)), NOW);
    expect(checked.ok ? "ok" : checked.reason).toBe(expected);
  });
});
