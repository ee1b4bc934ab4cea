import { describe, expect, it } from "vitest";
import { base64url, INVITATION_CODE, newInvitationCode } from "../../worker/invitations/code";
import { choose, newSeed } from "../../worker/invitations/draw";
import { DAY_MS, isEligible, parsePolicy, POLICY_NAMES, readScope, type MemberFacts, type Policy } from "../../worker/invitations/policy";

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

describe("a policy's read scope only leaves out members it refuses", () => {
  const population: Array<Partial<MemberFacts>> = [
    {},
    { joinedAt: daysAgo(1) },
    { joinedAt: daysAgo(40) },
    { invitationsEver: 1, lastSpentAt: daysAgo(40) },
    { invitationsEver: 1, lastSpentAt: daysAgo(40), invitees: [{ joinedAt: daysAgo(40), leftAt: null }] },
    { invitationsEver: 2, liveInvitations: 1 },
  ];
  it.each(POLICY_NAMES.flatMap((name) => [0, 7, 30].map((minDays) => ({ name, minDays }) as Policy)))("%j", (policy) => {
    const scope = readScope(policy, now);
    for (const facts of population) {
      const m = member(facts);
      const inScope = (scope.joinedBy === null || m.joinedAt <= scope.joinedBy) && (!scope.historyOnly || m.invitationsEver > 0);
      if (isEligible(m, policy, now)) expect(inScope).toBe(true);
    }
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

describe("the random draw", () => {
  const ids = Array.from({ length: 50 }, (_, i) => String(1000 + i));

  it("is reproducible from its seed and draws distinct members", () => {
    const seed = newSeed();
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    const a = choose(ids, 10, seed);
    expect(choose(ids, 10, seed)).toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(a.every((id) => ids.includes(id))).toBe(true);
    expect(choose(ids, 10, newSeed())).not.toEqual(a);
  });

  it.each([
    [0, 0],
    [5, 5],
    [50, 50],
    [80, 50],
  ])("choosing %i of 50 gives %i", (n, expected) => {
    expect(choose(ids, n, "0123456789abcdef0123456789abcdef")).toHaveLength(expected);
  });

  it("is uniform: each member is drawn about equally often", () => {
    const counts = new Map<string, number>();
    const small = ids.slice(0, 10);
    const runs = 20_000;
    for (let r = 0; r < runs; r++) for (const id of choose(small, 3, newSeed())) counts.set(id, (counts.get(id) ?? 0) + 1);
    const expected = (runs * 3) / 10;
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chi = small.reduce((sum, id) => sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it("refuses a malformed seed", () => {
    expect(() => choose(ids, 1, "xyz")).toThrow(RangeError);
  });
});
