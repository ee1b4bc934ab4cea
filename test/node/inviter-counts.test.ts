import { describe, expect, it } from "vitest";
import { creditFor, DAY_MS, fakeReason, inviterCertain, inviterOf, ranking, snowflakeTime, tally, totalInvites, ZERO_COUNTS, type CountedJoin, type InviteCounts } from "../../worker/inviters/counts";

const BOT = "100000000000000001";
const policy = { fakeAccountAgeDays: 7, countAfterDays: 0 };
/** A snowflake minted at `ms` (worker 0, sequence 0). */
const idAt = (ms: number) => String(BigInt(ms - 1_420_070_400_000) << 22n);
const T = Date.parse("2026-06-01T12:00:00Z");
const OLD = idAt(T - 400 * DAY_MS);

const join = (over: Partial<CountedJoin>): CountedJoin => ({
  userId: OLD,
  inviterId: "300000000000000001",
  resolved: true,
  joinedAt: T,
  isRejoin: false,
  present: true,
  ...over,
});

describe("snowflakeTime", () => {
  it.each([
    ["175928847299117063", Date.parse("2016-04-30T11:18:25.796Z")],
    [idAt(T), T],
    ["0", 1_420_070_400_000],
  ])("%s was minted at %d", (id, ms) => expect(snowflakeTime(id)).toBe(ms));
});

describe("inviterOf", () => {
  it.each([
    ["an invitation's inviter wins", { invitationInviterId: "1", inviteInviterId: "2", candidatesInviterId: null }, "1"],
    ["else the invite's creator", { invitationInviterId: null, inviteInviterId: "2", candidatesInviterId: null }, "2"],
    ["the bot's own invites belong to nobody", { invitationInviterId: null, inviteInviterId: BOT, candidatesInviterId: null }, null],
    ["an invite with no creator (vanity, widget)", { invitationInviterId: null, inviteInviterId: null, candidatesInviterId: null }, null],
    ["the code in doubt, the one creator of every candidate", { invitationInviterId: null, inviteInviterId: null, candidatesInviterId: "3" }, "3"],
    ["the code in doubt, candidates all the bot's belong to nobody", { invitationInviterId: null, inviteInviterId: null, candidatesInviterId: BOT }, null],
  ])("%s", (_, j, expected) => expect(inviterOf(j, BOT)).toBe(expected));
});

describe("inviterCertain", () => {
  it.each([
    ["a named join", { method: "diff", candidatesInviterId: null }, true],
    ["a join named by source only", { method: "source", candidatesInviterId: null }, true],
    ["an unresolved join", { method: "unresolved", candidatesInviterId: null }, false],
    ["an unresolved join whose candidates are all one member's", { method: "unresolved", candidatesInviterId: "3" }, true],
  ])("%s: %s", (_, j, expected) => expect(inviterCertain(j)).toBe(expected));
});

describe("fakeReason", () => {
  it.each([
    ["an old account, first join", {}, null],
    ["a self-invite", { inviterId: OLD }, "self_invite"],
    ["a self-invite that is also a rejoin is a self-invite", { inviterId: OLD, isRejoin: true }, "self_invite"],
    ["a rejoin", { isRejoin: true }, "rejoin"],
    ["an account 6 days old", { userId: idAt(T - 6 * DAY_MS) }, "young_account"],
    ["an account 7 days less 1 ms old", { userId: idAt(T - 7 * DAY_MS + 1) }, "young_account"],
    ["an account exactly 7 days old", { userId: idAt(T - 7 * DAY_MS) }, null],
    ["a rejoin of a young account is a rejoin", { userId: idAt(T - DAY_MS), isRejoin: true }, "rejoin"],
  ])("%s", (_, over, expected) => expect(fakeReason(join(over), policy)).toBe(expected));

  it.each([
    [0, idAt(T - 1000), null],
    [1, idAt(T - 1000), "young_account"],
    [30, idAt(T - 29 * DAY_MS), "young_account"],
    [30, idAt(T - 31 * DAY_MS), null],
  ])("with a limit of %d days, %s is %s", (days, userId, expected) =>
    expect(fakeReason(join({ userId }), { fakeAccountAgeDays: days, countAfterDays: 0 })).toBe(expected),
  );
});

describe("creditFor", () => {
  it.each([
    ["unresolved counts for nobody", { resolved: false }, { kind: "nobody", why: "unresolved" }],
    ["unresolved even with an inviter known counts for nobody", { resolved: false, inviterId: "5" }, { kind: "nobody", why: "unresolved" }],
    ["no personal inviter", { inviterId: null }, { kind: "nobody", why: "no_inviter" }],
    ["a member who stays", {}, { kind: "regular", inviterId: "300000000000000001" }],
    ["a member who left", { present: false }, { kind: "left", inviterId: "300000000000000001" }],
    ["a fake member who left is fake, not left", { present: false, isRejoin: true }, { kind: "fake", inviterId: "300000000000000001", reason: "rejoin" }],
  ])("%s", (_, over, expected) => expect(creditFor(join(over), policy, T)).toEqual(expected));

  const I = "300000000000000001";
  const stay = { fakeAccountAgeDays: 7, countAfterDays: 3 };
  it.each([
    ["with no stay period, a join counts at once", { ...policy }, {}, 0, { kind: "regular", inviterId: I }],
    ["within the stay period, a staying member is pending", stay, {}, 3 * DAY_MS - 1, { kind: "pending", inviterId: I }],
    ["once they stayed the period, they count", stay, {}, 3 * DAY_MS, { kind: "regular", inviterId: I }],
    ["one who left within it is left, not pending", stay, { present: false }, DAY_MS, { kind: "left", inviterId: I }],
    ["a fake join within it is fake, not pending", stay, { isRejoin: true }, DAY_MS, { kind: "fake", inviterId: I, reason: "rejoin" }],
    ["an unresolved join within it counts for nobody", stay, { resolved: false }, DAY_MS, { kind: "nobody", why: "unresolved" }],
  ])("%s", (_, p, over, after, expected) => expect(creditFor(join(over), p, T + after)).toEqual(expected));
});

describe("tally", () => {
  const A = "300000000000000001";
  const B = "300000000000000002";
  const C = "300000000000000003";
  const history: CountedJoin[] = [
    join({ inviterId: A, userId: idAt(T - 500 * DAY_MS) }),
    join({ inviterId: A, userId: idAt(T - 501 * DAY_MS) }),
    join({ inviterId: A, userId: idAt(T - 502 * DAY_MS), present: false }),
    join({ inviterId: B, userId: idAt(T - 503 * DAY_MS) }),
    join({ inviterId: B, userId: idAt(T - 2 * DAY_MS) }),
    join({ inviterId: B, userId: idAt(T - 504 * DAY_MS), isRejoin: true }),
    join({ inviterId: C, userId: C }),
    join({ inviterId: C, resolved: false }),
    join({ inviterId: null }),
  ];
  const counts = tally(history, [{ userId: C, amount: 5 }, { userId: C, amount: -2 }, { userId: "300000000000000009", amount: 1 }], policy, T);

  it.each([
    [A, { regular: 3, left: 1, fake: 0, bonus: 0, pending: 0 }, 2],
    [B, { regular: 3, left: 0, fake: 2, bonus: 0, pending: 0 }, 1],
    [C, { regular: 1, left: 0, fake: 1, bonus: 3, pending: 0 }, 3],
    ["300000000000000009", { regular: 0, left: 0, fake: 0, bonus: 1, pending: 0 }, 1],
  ])("%s has %o, total %d", (id, expected, total) => {
    expect(counts.get(id)).toEqual(expected);
    expect(totalInvites(counts.get(id)!)).toBe(total);
  });

  it("credits nobody for unresolved joins or joins without an inviter", () => expect(counts.size).toBe(4));
});

describe("tally with a stay period", () => {
  const A = "300000000000000001";
  const stay = { fakeAccountAgeDays: 7, countAfterDays: 7 };
  const history = [
    join({ inviterId: A, userId: idAt(T - 500 * DAY_MS), joinedAt: T - 10 * DAY_MS }),
    join({ inviterId: A, userId: idAt(T - 501 * DAY_MS), joinedAt: T - 2 * DAY_MS }),
    join({ inviterId: A, userId: idAt(T - 502 * DAY_MS), joinedAt: T - 2 * DAY_MS, present: false }),
  ];
  it.each([
    ["today: one counted, one pending, one left", T, { regular: 2, left: 1, fake: 0, bonus: 0, pending: 1 }],
    ["five days later the pending one counts", T + 5 * DAY_MS, { regular: 3, left: 1, fake: 0, bonus: 0, pending: 0 }],
  ])("%s", (_, now, expected) => expect(tally(history, [], stay, now).get(A)).toEqual(expected));
});

describe("ranking", () => {
  const c = (over: Partial<InviteCounts>): InviteCounts => ({ ...ZERO_COUNTS, ...over });
  const counts = new Map<string, InviteCounts>([
    ["300000000000000003", c({ regular: 2 })],
    ["300000000000000001", c({ regular: 3, left: 1 })],
    ["300000000000000002", c({ regular: 5, fake: 2, left: 1 })],
    ["300000000000000004", c({ pending: 4 })],
    ["300000000000000005", c({ bonus: 9 })],
    ["20000000000000009", c({ regular: 2 })],
  ]);
  it.each([
    ["by total, then regular joins, then the older account; only-pending inviters are not ranked", [], ["300000000000000005", "300000000000000002", "300000000000000001", "20000000000000009", "300000000000000003"]],
    ["excluded members are left out", ["300000000000000005", "20000000000000009"], ["300000000000000002", "300000000000000001", "300000000000000003"]],
  ])("%s", (_, excluded, order) => expect(ranking(counts, new Set(excluded)).map((r) => r.userId)).toEqual(order));
});
