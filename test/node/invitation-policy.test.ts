import { describe, expect, it } from "vitest";
import { base64url, INVITATION_CODE, newInvitationCode } from "../../worker/invitations/code";
import { newSeed } from "../../worker/invitations/draw";
import { DAY_MS, isEligible, parsePolicy, type MemberFacts, type Policy } from "../../worker/invitations/policy";

const now = Date.parse("2026-06-01T00:00:00Z");
const daysAgo = (d: number) => now - d * DAY_MS;
const member = (facts: Partial<MemberFacts>): MemberFacts => ({
  userId: "1",
  joinedAt: daysAgo(100),
  leftAt: null,
  bot: false,
  liveInvitations: 0,
  invitationsEver: 0,
  lastSpentAt: null,
  invitees: [],
  ...facts,
});
const p = (name: Policy["name"], minDays = 0): Policy => ({ name, minDays });

describe("eligibility policies", () => {
  it.each<[string, Policy, Partial<MemberFacts>, boolean]>([
    ["unspent: a member without invitations", p("unspent"), {}, true],
    ["unspent: a member holding a live one", p("unspent"), { liveInvitations: 1, invitationsEver: 1 }, false],
    ["unspent: a member whose only one was spent", p("unspent"), { invitationsEver: 1, lastSpentAt: daysAgo(1) }, true],
    ["unspent: a bot", p("unspent"), { bot: true }, false],
    ["unspent: a member who left", p("unspent"), { leftAt: daysAgo(1) }, false],
    ["never: joined long enough ago, never given one", p("never", 30), { joinedAt: daysAgo(31) }, true],
    ["never: joined exactly min_days ago", p("never", 30), { joinedAt: daysAgo(30) }, true],
    ["never: joined too recently", p("never", 30), { joinedAt: daysAgo(29) }, false],
    ["never: given one before, even if expired", p("never", 0), { invitationsEver: 1 }, false],
    ["never: a bot", p("never", 0), { bot: true }, false],
    ["never: a member who left", p("never", 0), { leftAt: daysAgo(2) }, false],
    ["spent_since: last spent long enough ago", p("spent_since", 7), { invitationsEver: 1, lastSpentAt: daysAgo(8) }, true],
    ["spent_since: last spent too recently", p("spent_since", 7), { invitationsEver: 1, lastSpentAt: daysAgo(6) }, false],
    ["spent_since: never spent one", p("spent_since", 0), { invitationsEver: 2, lastSpentAt: null }, false],
    ["spent_since: holds a live one too", p("spent_since", 0), { invitationsEver: 2, liveInvitations: 1, lastSpentAt: daysAgo(30) }, false],
    ["spent_since: a member who left", p("spent_since", 0), { invitationsEver: 1, lastSpentAt: daysAgo(30), leftAt: daysAgo(1) }, false],
    ["rewarded: their invitee stayed", p("rewarded", 14), { invitees: [{ joinedAt: daysAgo(20), leftAt: null }] }, true],
    ["rewarded: invitee left after min_days", p("rewarded", 14), { invitees: [{ joinedAt: daysAgo(40), leftAt: daysAgo(10) }] }, true],
    ["rewarded: invitee left before min_days", p("rewarded", 14), { invitees: [{ joinedAt: daysAgo(40), leftAt: daysAgo(30) }] }, false],
    ["rewarded: invitee too recent to judge", p("rewarded", 14), { invitees: [{ joinedAt: daysAgo(3), leftAt: null }] }, false],
    ["rewarded: no invitees", p("rewarded", 0), {}, false],
    [
      "rewarded: one stayed, one churned",
      p("rewarded", 14),
      { invitees: [{ joinedAt: daysAgo(40), leftAt: null }, { joinedAt: daysAgo(40), leftAt: daysAgo(39) }] },
      false,
    ],
    ["rewarded: a bot", p("rewarded", 0), { bot: true, invitees: [{ joinedAt: daysAgo(40), leftAt: null }] }, false],
  ])("%s", (_label, policy, facts, expected) => {
    expect(isEligible(member(facts), policy, now)).toBe(expected);
  });

  it.each([
    [{ name: "never", minDays: 3 }, { name: "never", minDays: 3 }],
    [{ name: "bogus", minDays: 0 }, null],
    [{ name: "unspent", minDays: -1 }, null],
    [{ name: "unspent", minDays: 1.5 }, null],
    [{ name: "unspent" }, null],
    ["unspent", null],
  ])("parsePolicy(%j) = %j", (input, expected) => {
    expect(parsePolicy(input)).toEqual(expected);
  });
});

describe("invitation codes", () => {
  it("are 128 random bits in base64url", () => {
    const codes = new Set(Array.from({ length: 1000 }, newInvitationCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(INVITATION_CODE);
    expect(base64url(new Uint8Array(16).fill(0xff))).toBe("_____________________w");
  });
});

describe("a wave's seed", () => {
  it("is 128 random bits in hex", () => {
    const seeds = new Set(Array.from({ length: 100 }, newSeed));
    expect(seeds.size).toBe(100);
    for (const seed of seeds) expect(seed).toMatch(/^[0-9a-f]{32}$/);
  });
});
