// Marks (worker/marks) and marked joins on the attribution timeline (worker/attribution/marked.ts).
import { describe, expect, it } from "vitest";
import { addFetch, addJoin, decide, emptyTimeline, toFreshInvite, type CachedInvite, type FreshInvite, type Timeline } from "../../worker/attribution";
import { markedCodes, readMarks } from "../../worker/marks";

const T0 = 1_700_000_000_000;
const cached = (code: string, roles?: string[], extra: Partial<CachedInvite> = {}): CachedInvite => ({
  code,
  uses: 0,
  maxUses: 0,
  maxAge: 0,
  createdAt: T0 - 86_400_000,
  expiresAt: null,
  deletedAt: null,
  ...(roles ? { roles } : {}),
  ...extra,
});
// Two sources' invites (a: r1, b: r2), an invitation's single-use invites sharing the "invited" role, one unmarked.
const CACHE = [
  cached("a1", ["r1"]),
  cached("a2", ["r1"]),
  cached("b1", ["r2"]),
  cached("su1", ["invited"], { maxUses: 1 }),
  cached("su2", ["invited"], { maxUses: 1, deletedAt: T0 }),
  cached("plain"),
];

describe("markedCodes: which codes a member's roles say they came through", () => {
  it.each([
    { roles: [], codes: null },
    { roles: ["member", "color"], codes: null },
    { roles: ["r1"], codes: ["a1", "a2"] },
    { roles: ["r2", "member"], codes: ["b1"] },
    // A consumed single-use invite (a tombstone) still says what it granted.
    { roles: ["invited"], codes: ["su1", "su2"] },
    { roles: ["r1", "r1"], codes: ["a1", "a2"] },
    // Two marks no one code grants: one was given by hand, neither can be trusted.
    { roles: ["r1", "r2"], codes: null },
  ])("$roles -> $codes", ({ roles, codes }) => {
    expect(markedCodes(roles, CACHE)).toEqual(codes);
  });

  it("reads the roles an invite grants from both of Discord's shapes", () => {
    expect(toFreshInvite({ code: "x", roles: [{ id: "r1" }, { id: "r2" }] }, T0).roles).toEqual(["r1", "r2"]);
    expect(toFreshInvite({ code: "x", role_ids: ["r1"] }, T0).roles).toEqual(["r1"]);
    expect(toFreshInvite({ code: "x" }, T0).roles).toBeUndefined();
  });
});

describe("readMarks: a GUILD_MEMBER_UPDATE marks only a join the timeline holds, before its verdict freezes", () => {
  const FREEZE = 60_000;
  const base = (markCodes?: string[]): Timeline => ({
    ...addJoin(emptyTimeline(), { eventId: "e1", userId: "u1", joinedAt: T0, receivedAt: T0 + 500, ...(markCodes ? { markCodes } : {}) }),
    cache: CACHE,
  });
  it.each([
    { name: "the marks the add lacked", update: { userId: "u1", joinedAt: T0, roles: ["r1"] }, at: 2_000, marks: ["a1", "a2"] },
    { name: "an update after the verdict was written, before it froze", update: { userId: "u1", joinedAt: T0, roles: ["r2"] }, at: 50_000, marks: ["b1"] },
    { name: "no mark among the roles", update: { userId: "u1", joinedAt: T0, roles: ["member"] }, at: 2_000, marks: undefined },
    { name: "a member who joined long ago", update: { userId: "u1", joinedAt: T0 - 3_600_000, roles: ["r1"] }, at: 2_000, marks: undefined },
    { name: "a member the timeline does not hold", update: { userId: "u2", joinedAt: T0, roles: ["r1"] }, at: 2_000, marks: undefined },
    { name: "a frozen join: a role given later is not a join's mark", update: { userId: "u1", joinedAt: T0, roles: ["r1"] }, at: 61_000, marks: undefined },
  ])("$name", ({ update, at, marks }) => {
    const timeline = base();
    const after = readMarks(timeline, update, T0 + at, FREEZE);
    expect(after.joins[0]!.markCodes).toEqual(marks);
    // Nothing new: the same timeline, so the object writes nothing.
    if (marks === undefined) expect(after).toBe(timeline);
  });

  it.each([
    { name: "a second mark narrows the first", before: ["a1", "a2", "b1"], roles: ["r1"], marks: ["a1", "a2"] },
    { name: "a contradicting mark leaves the first", before: ["b1"], roles: ["r1"], marks: ["b1"] },
  ])("$name", ({ before, roles, marks }) => {
    expect(readMarks(base(before), { userId: "u1", joinedAt: T0, roles }, T0 + 2_000, FREEZE).joins[0]!.markCodes).toEqual(marks);
  });
});

// Marked joins in the diff's puzzle: joins (stamp, marks), fetches (sent at, what they showed), verdicts afterwards.
const fresh = (code: string, uses: number, maxUses = 0): FreshInvite => ({ code, uses, maxUses, maxAge: 0, createdAt: T0 - 86_400_000, expiresAt: null });
type Step = { join: string; at: number; marks?: string[] } | { fetch: FreshInvite[]; at: number };
const OPTS = { clockSkewMs: 250, deliveryWaitMs: 2_000, settleWaitMs: 15_000 };

function verdicts(steps: Step[], at: number): Record<string, string> {
  let tl = emptyTimeline();
  for (const step of steps) {
    if ("join" in step) {
      tl = addJoin(tl, { eventId: step.join, userId: step.join, joinedAt: T0 + step.at, receivedAt: T0 + step.at + 300, ...(step.marks ? { markCodes: step.marks } : {}) });
    } else tl = addFetch(tl, { invites: step.fetch, startedAt: T0 + step.at, answeredAt: T0 + step.at + 100 }, OPTS);
  }
  tl = decide(tl, T0 + at, OPTS).timeline;
  return Object.fromEntries(
    tl.joins.map((j) => {
      const v = j.emitted;
      if (!v) return [j.eventId, "waiting"];
      if (v.kind === "unresolved") return [j.eventId, `unresolved[${v.candidates.join(",")}]`];
      if (v.kind === "role") return [j.eventId, v.code ? `role:${v.code}` : `role[${v.candidates.join(",")}]`];
      return [j.eventId, `${v.kind}:${v.code}`];
    }),
  );
}

describe("marked joins: named by their mark, and out of their neighbours' puzzle", () => {
  const before = { fetch: [fresh("a1", 0), fresh("a2", 0), fresh("b1", 0), fresh("su1", 0, 1), fresh("su2", 0, 1)], at: 0 };
  it.each([
    {
      name: "one marked code: named at once, before any fetch",
      steps: [before, { join: "m", at: 5_000, marks: ["a1"] }],
      expected: { m: "role:a1" },
    },
    {
      name: "two marked codes of one source: the diff picks the one that rose",
      steps: [before, { join: "m", at: 5_000, marks: ["a1", "a2"] }, { fetch: [fresh("a1", 0), fresh("a2", 1), fresh("b1", 0), fresh("su1", 0, 1), fresh("su2", 0, 1)], at: 6_000 }],
      expected: { m: "role:a2" },
    },
    {
      name: "a marked join and an unmarked one in one interval: the unmarked one gets what is left",
      steps: [before, { join: "m", at: 5_000, marks: ["a1"] }, { join: "u", at: 5_100 }, { fetch: [fresh("a1", 1), fresh("a2", 0), fresh("b1", 1), fresh("su1", 0, 1), fresh("su2", 0, 1)], at: 6_000 }],
      expected: { m: "role:a1", u: "diff:b1" },
    },
    {
      name: "an invitation join beside a Discovery join: Discovery never takes the invitation's code",
      steps: [before, { join: "x", at: 5_000, marks: ["su1", "su2"] }, { join: "d", at: 5_100 }, { fetch: [fresh("a1", 0), fresh("a2", 0), fresh("b1", 0), fresh("su2", 0, 1)], at: 6_000 }],
      expected: { x: "role:su1", d: "unresolved[]" },
    },
    {
      name: "two invitation joins, two single-use codes consumed: each is an invitation's, which one the counts cannot say",
      steps: [
        before,
        { join: "x", at: 5_000, marks: ["su1", "su2"] },
        { join: "y", at: 5_100, marks: ["su1", "su2"] },
        { fetch: [fresh("a1", 0), fresh("a2", 0), fresh("b1", 0)], at: 6_000 },
      ],
      expected: { x: "role[su1,su2]", y: "role[su1,su2]" },
    },
  ])("$name", ({ steps, expected }) => {
    expect(verdicts(steps, 30_000)).toEqual(expected);
  });

  it("without the mark, the same burst leaves both open", () => {
    const steps: Step[] = [before, { join: "m", at: 5_000 }, { join: "u", at: 5_100 }, { fetch: [fresh("a1", 1), fresh("a2", 0), fresh("b1", 1), fresh("su1", 0, 1), fresh("su2", 0, 1)], at: 6_000 }];
    expect(verdicts(steps, 30_000)).toEqual({ m: "unresolved[a1,b1]", u: "unresolved[a1,b1]" });
  });
});
