import { describe, expect, it } from "vitest";
import { settle, type SettleInput } from "../../worker/attribution/diff";
import type { CachedInvite, FreshInvite, LedgerEntry, PendingJoin, Verdict } from "../../worker/attribution/types";

const T0 = 1_700_000_000_000;
const LONG_AGO = T0 - 86_400_000;
const NOW = T0 + 10_000;
const STARTED = NOW - 300;

const cachedInvite = (code: string, uses: number, extra: Partial<CachedInvite> = {}): CachedInvite => ({
  code,
  uses,
  maxUses: 0,
  maxAge: 0,
  createdAt: LONG_AGO,
  expiresAt: null,
  deletedAt: null,
  ...extra,
});
const freshInvite = (code: string, uses: number, extra: Partial<FreshInvite> = {}): FreshInvite => ({
  code,
  uses,
  maxUses: 0,
  maxAge: 0,
  createdAt: LONG_AGO,
  expiresAt: null,
  ...extra,
});
const join = (userId: string, joinedAt = T0 + 5_000, receivedAt = joinedAt + 200): PendingJoin => ({
  userId,
  joinedAt,
  receivedAt,
  eventId: `ev-${userId}`,
});
const joins = (n: number) => Array.from({ length: n }, (_, i) => join(`u${i}`, T0 + 5_000 + i * 20));

const base = (over: Partial<SettleInput>): SettleInput => ({
  cached: [cachedInvite("A", 10), cachedInvite("B", 4)],
  cachedAt: T0,
  fresh: [freshInvite("A", 10), freshInvite("B", 4)],
  vanityBefore: null,
  vanityAfter: null,
  events: [],
  joins: [join("u0")],
  ledger: [],
  now: NOW,
  fetchStartedAt: STARTED,
  ...over,
});

const show = (v: Verdict) =>
  v.kind === "unresolved"
    ? `unresolved:${v.candidates.join(",")}`
    : `${v.kind}:${v.code}${v.kind === "diff" && v.invitationId ? `@${v.invitationId}` : ""}`;

/** userId -> verdict summary, or "waiting". */
function outcome(input: SettleInput): Record<string, string> {
  const out = settle(input);
  const result: Record<string, string> = {};
  for (const { join, verdict } of out.verdicts) result[join.userId] = show(verdict);
  for (const j of out.waiting) result[j.userId] = "waiting";
  return result;
}
const all = (n: number, value: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`u${i}`, value]));
const ledgerEntry = (code: string, count: number, seenAt: number, since: number | null = T0): LedgerEntry => ({
  code,
  count,
  seenAt,
  since,
  kind: "invite",
});

describe("settle: one row per rule and per failure case admins meet", () => {
  it.each<[string, Partial<SettleInput>, Record<string, string>]>([
    ["one join, one invite rose by 1 -> that invite", { fresh: [freshInvite("A", 11), freshInvite("B", 4)] }, { u0: "diff:A" }],
    [
      "vanity URL used (its own uses rose) -> vanity",
      { vanityBefore: { code: "myserver", uses: 40 }, vanityAfter: { code: "myserver", uses: 41 } },
      { u0: "vanity:myserver" },
    ],
    [
      "vanity not risen -> not vanity, the risen invite",
      { fresh: [freshInvite("A", 11), freshInvite("B", 4)], vanityBefore: { code: "v", uses: 40 }, vanityAfter: { code: "v", uses: 40 } },
      { u0: "diff:A" },
    ],
    [
      "vanity not risen and nothing rose -> waits, never vanity",
      { vanityBefore: { code: "v", uses: 40 }, vanityAfter: { code: "v", uses: 40 } },
      { u0: "waiting" },
    ],
    [
      "invite created before the cache existed (seeded with its uses) -> diff",
      { cached: [cachedInvite("OLD", 7, { createdAt: T0 - 30 * 86_400_000 })], fresh: [freshInvite("OLD", 8, { createdAt: T0 - 30 * 86_400_000 })] },
      { u0: "diff:OLD" },
    ],
    [
      "invite created between two fetches (new code, uses > 0) -> diff",
      { fresh: [freshInvite("A", 10), freshInvite("B", 4), freshInvite("NEW", 1, { createdAt: T0 + 2_000 })] },
      { u0: "diff:NEW" },
    ],
    [
      "invite created between two fetches, INVITE_CREATE seen -> diff",
      {
        events: [{ type: "INVITE_CREATE", at: T0 + 2_100, invite: freshInvite("NEW", 0, { createdAt: T0 + 2_000 }) }],
        fresh: [freshInvite("A", 10), freshInvite("B", 4), freshInvite("NEW", 1, { createdAt: T0 + 2_000 })],
      },
      { u0: "diff:NEW" },
    ],
    [
      "code missing from the cache although it existed at the last fetch -> unresolved, never guessed",
      { fresh: [freshInvite("A", 11), freshInvite("B", 4), freshInvite("LOST", 3, { createdAt: T0 - 60_000 })] },
      { u0: "unresolved:A,LOST" },
    ],
    [
      "no baseline at all (first fetch) -> unresolved with every used code",
      { cached: [], cachedAt: null, fresh: [freshInvite("A", 11), freshInvite("B", 4), freshInvite("Z", 0)] },
      { u0: "unresolved:A,B" },
    ],
    [
      "vanity seen for the first time -> unresolved (its rise is unknown)",
      { fresh: [freshInvite("A", 11), freshInvite("B", 4)], vanityBefore: null, vanityAfter: { code: "v", uses: 12 } },
      { u0: "unresolved:A,v" },
    ],
    [
      "join that arrived while the worker was restarting: its increment is in the ledger",
      { joins: [join("u0", T0 + 4_000, T0 + 9_000)], ledger: [ledgerEntry("A", 1, T0 + 5_000)] },
      { u0: "diff:A" },
    ],
    [
      "single-use invite consumed (vanished at max_uses - 1, not expired) -> diff",
      {
        cached: [cachedInvite("A", 10), cachedInvite("ONCE", 0, { maxUses: 1, maxAge: 86_400, expiresAt: T0 + 86_400_000 })],
        fresh: [freshInvite("A", 10)],
      },
      { u0: "diff:ONCE" },
    ],
    [
      "single-use invite consumed, INVITE_DELETE seen before the fetch -> diff",
      {
        cached: [cachedInvite("A", 10), cachedInvite("ONCE", 0, { maxUses: 1 })],
        events: [{ type: "INVITE_DELETE", at: T0 + 5_100, code: "ONCE" }],
        fresh: [freshInvite("A", 10)],
      },
      { u0: "diff:ONCE" },
    ],
    [
      "five-use invite consumed by its last use -> diff",
      { cached: [cachedInvite("A", 10), cachedInvite("FIVE", 4, { maxUses: 5 })], fresh: [freshInvite("A", 10)] },
      { u0: "diff:FIVE" },
    ],
    [
      "invite that expired rather than being used -> not a candidate",
      {
        cached: [cachedInvite("A", 10), cachedInvite("EXP", 0, { maxUses: 1, maxAge: 3600, expiresAt: T0 + 1_000 })],
        fresh: [freshInvite("A", 11)],
      },
      { u0: "diff:A" },
    ],
    [
      "expired single-use invite alone -> the join waits, never the expired code",
      { cached: [cachedInvite("EXP", 0, { maxUses: 1, expiresAt: T0 + 1_000 })], fresh: [] },
      { u0: "waiting" },
    ],
    [
      "invite deleted by a moderator before the join -> not a candidate",
      {
        cached: [cachedInvite("A", 10), cachedInvite("MOD", 3)],
        events: [{ type: "INVITE_DELETE", at: T0 + 2_000, code: "MOD" }],
        fresh: [freshInvite("A", 11)],
      },
      { u0: "diff:A" },
    ],
    [
      "limited invite vanished short of max_uses - 1 (deleted, or consumed by several) -> never attributed to it, nor guessed",
      {
        cached: [cachedInvite("A", 10), cachedInvite("FIVE", 2, { maxUses: 5 })],
        events: [{ type: "INVITE_DELETE", at: T0 + 3_000, code: "FIVE" }],
        fresh: [freshInvite("A", 11)],
      },
      { u0: "unresolved:A,FIVE" },
    ],
    [
      "code known only from its INVITE_DELETE (created and deleted unseen) -> unresolved",
      { events: [{ type: "INVITE_DELETE", at: T0 + 5_100, code: "GHOST" }], fresh: [freshInvite("A", 11), freshInvite("B", 4)] },
      { u0: "unresolved:A,GHOST" },
    ],
    [
      "invite deleted around the join (uses since the last fetch uncountable) -> never attributed to it, nor guessed",
      { cached: [cachedInvite("A", 10), cachedInvite("MOD", 30)], fresh: [freshInvite("A", 11)] },
      { u0: "unresolved:A,MOD" },
    ],
    [
      "tombstone already settled by an earlier fetch -> not counted again",
      {
        cached: [cachedInvite("A", 10), cachedInvite("ONCE", 0, { maxUses: 1, deletedAt: T0 - 5_000, vanishSettled: true })],
        fresh: [freshInvite("A", 11)],
      },
      { u0: "diff:A" },
    ],
    [
      "several invites rising at once -> both unresolved with both candidates",
      { joins: joins(2), fresh: [freshInvite("A", 11), freshInvite("B", 5)] },
      { u0: "unresolved:A,B", u1: "unresolved:A,B" },
    ],
    ["a burst of 20 joins on one invite -> all 20", { joins: joins(20), fresh: [freshInvite("A", 30), freshInvite("B", 4)] }, all(20, "diff:A")],
    [
      "a burst with increments split -> one unresolved group with the multiset",
      { joins: joins(5), fresh: [freshInvite("A", 13), freshInvite("B", 6)] },
      all(5, "unresolved:A,A,A,B,B"),
    ],
    ["more joins than increments -> all wait (surplus never attributed)", { joins: joins(3), fresh: [freshInvite("A", 12), freshInvite("B", 4)] }, all(3, "waiting")],
    [
      "more joins than increments past the wait -> unresolved, not eliminable",
      { joins: joins(3), fresh: [freshInvite("A", 12), freshInvite("B", 4)], now: T0 + 60_000, fetchStartedAt: T0 + 59_700 },
      all(3, "unresolved:A,A"),
    ],
    [
      "more increments than joins, all on one code -> attributed, the rest kept",
      { joins: joins(2), fresh: [freshInvite("A", 13), freshInvite("B", 4)] },
      all(2, "diff:A"),
    ],
    [
      "more increments than joins on two codes -> waits for the other join events",
      { fresh: [freshInvite("A", 11), freshInvite("B", 5)] },
      { u0: "waiting" },
    ],
    [
      "more increments than joins on two codes past the wait -> unresolved",
      { fresh: [freshInvite("A", 11), freshInvite("B", 5)], now: T0 + 60_000, fetchStartedAt: T0 + 59_700 },
      { u0: "unresolved:A,B" },
    ],
    [
      "late join event completes the pair -> both unresolved",
      { joins: [join("u0"), join("u1", T0 + 5_010, T0 + 9_500)], ledger: [ledgerEntry("A", 1, T0 + 8_000), ledgerEntry("B", 1, T0 + 8_000)] },
      { u0: "unresolved:A,B", u1: "unresolved:A,B" },
    ],
    [
      "late join whose window holds a unit another join's verdict spent, of another code -> unresolved",
      {
        joins: [join("late", T0 + 4_000, T0 + 9_000)],
        ledger: [{ ...ledgerEntry("A", 1, T0 + 5_000), claimedBy: "join:ev-x" }, ledgerEntry("B", 1, T0 + 5_000)],
      },
      { late: "unresolved:A,B" },
    ],
    [
      "late join whose window holds only units of one code, some spent -> that code",
      {
        joins: [join("late", T0 + 4_000, T0 + 9_000)],
        ledger: [{ ...ledgerEntry("A", 3, T0 + 5_000), claimedBy: "join:ev-x" }, ledgerEntry("A", 1, T0 + 5_000)],
      },
      { late: "diff:A" },
    ],
    [
      "late join whose window holds a group's claimed candidates -> unresolved",
      {
        joins: [join("late", T0 + 4_000, T0 + 9_000)],
        ledger: [{ ...ledgerEntry("A", 1, T0 + 5_000), claimedBy: "grp:ev-y" }, { ...ledgerEntry("B", 1, T0 + 5_000), claimedBy: "grp:ev-y" }],
      },
      { late: "unresolved:A,B" },
    ],
    [
      "invite that expired between the fetches, after the join -> never attributed to it, nor guessed",
      {
        cached: [cachedInvite("A", 10), cachedInvite("EXP", 2, { maxAge: 3600, expiresAt: T0 + 8_000 })],
        fresh: [freshInvite("A", 11)],
      },
      { u0: "unresolved:A,EXP" },
    ],
    [
      "an orphan increment older than the join (missed event) is not eligible",
      { ledger: [ledgerEntry("A", 1, T0 - 60_000, T0 - 70_000)], fresh: [freshInvite("A", 10), freshInvite("B", 5)] },
      { u0: "diff:B" },
    ],
    [
      "times disambiguate: a unit seen before the later join happened is the earlier join's",
      {
        joins: [join("u0", T0 + 1_000), join("u1", T0 + 9_000, T0 + 9_300)],
        ledger: [ledgerEntry("A", 1, T0 + 3_000)],
        fresh: [freshInvite("A", 10), freshInvite("B", 5)],
        now: T0 + 10_000,
        fetchStartedAt: T0 + 9_700,
      },
      { u0: "diff:A", u1: "diff:B" },
    ],
    [
      "join received after the fetch started -> waits for the next fetch",
      { joins: [join("u0", T0 + 9_600, T0 + 9_800)], fresh: [freshInvite("A", 11), freshInvite("B", 4)] },
      { u0: "waiting" },
    ],
    [
      "counts may lag (countLagMs): a join too recent for the fetch waits",
      { fresh: [freshInvite("A", 11), freshInvite("B", 4)], options: { countLagMs: 8_000 } },
      { u0: "waiting" },
    ],
    [
      "invitation seam: a code minted for an invitation carries its id",
      {
        cached: [cachedInvite("A", 10), cachedInvite("INV", 0, { maxUses: 1 })],
        fresh: [freshInvite("A", 10)],
        invitationCodes: new Map([["INV", "invitation-7"]]),
      },
      { u0: "diff:INV@invitation-7" },
    ],
  ])("%s", (_name, over, expected) => {
    expect(outcome(base(over))).toEqual(expected);
  });
});

describe("settle: ledger, cache and scheduling", () => {
  it("keeps unclaimed increments in the ledger and lets a later join draw on them", () => {
    const first = settle(base({ joins: [], fresh: [freshInvite("A", 12), freshInvite("B", 4)] }));
    expect(first.nextLedger).toEqual([ledgerEntry("A", 2, NOW)]);
    const second = settle(
      base({
        cached: first.nextCache,
        cachedAt: first.nextCachedAt,
        fresh: null,
        joins: [join("late", T0 + 5_000, T0 + 12_000)],
        ledger: first.nextLedger,
        now: T0 + 20_000,
      }),
    );
    // No fetch has started since this join was received: it is not ripe yet.
    expect(second.waiting.map((j) => j.userId)).toEqual(["late"]);
    const third = settle(
      base({
        cached: first.nextCache,
        cachedAt: first.nextCachedAt,
        fresh: first.nextCache.map((c) => freshInvite(c.code, c.uses)),
        joins: second.waiting,
        ledger: second.nextLedger,
        now: T0 + 21_000,
        fetchStartedAt: T0 + 20_800,
      }),
    );
    expect(third.verdicts.map((v) => show(v.verdict))).toEqual(["diff:A"]);
    // The spent unit stays, marked, until its TTL; one is still free.
    expect(third.nextLedger).toEqual([{ ...ledgerEntry("A", 1, NOW), claimedBy: "join:ev-late" }, ledgerEntry("A", 1, NOW)]);
  });

  it("reports ledger entries that expired unclaimed (missed join events)", () => {
    const stale = ledgerEntry("A", 2, NOW - 11 * 60_000);
    const fresh = ledgerEntry("B", 1, NOW - 60_000);
    const out = settle(base({ joins: [], ledger: [stale, fresh], fresh: null }));
    expect(out.expiredLedger).toEqual([stale]);
    expect(out.nextLedger).toEqual([fresh]);
    const shorter = settle(base({ joins: [], ledger: [fresh], fresh: null, options: { ledgerTtlMs: 30_000 } }));
    expect(shorter.expiredLedger).toEqual([fresh]);
  });

  it("an expired ledger entry cannot be claimed by a late join", () => {
    const out = settle(base({ joins: [join("u0", T0 - 700_000, T0 + 9_000)], ledger: [ledgerEntry("A", 1, T0 - 690_000)] }));
    expect(out.expiredLedger).toHaveLength(1);
    expect(out.waiting.map((j) => j.userId)).toEqual(["u0"]);
  });

  it("says when to call again: the fetch an unripe join needs, the deadline of a ripe one", () => {
    const unripe = settle(base({ joins: [join("u0", T0 + 9_600, T0 + 9_800)], options: { countLagMs: 2_000 } }));
    expect([unripe.nextFetchAt, unripe.nextDeadlineAt]).toEqual([T0 + 11_800, null]);
    const ripe = settle(base({}));
    expect(ripe.waiting).toHaveLength(1);
    expect([ripe.nextFetchAt, ripe.nextDeadlineAt]).toEqual([null, T0 + 5_200 + 30_000]);
    const done = settle(base({ fresh: [freshInvite("A", 11), freshInvite("B", 4)] }));
    expect([done.nextFetchAt, done.nextDeadlineAt]).toEqual([null, null]);
  });

  it("a ripe waiting join is settled at its deadline without a fetch", () => {
    const out = settle(base({ fresh: null, cachedAt: STARTED, now: T0 + 40_000, ledger: [ledgerEntry("A", 1, NOW), ledgerEntry("B", 1, NOW)] }));
    expect(out.verdicts.map((v) => show(v.verdict))).toEqual(["unresolved:A,B"]);
    // The group's candidates stay, claimed, so a late join that could own one is not decided.
    expect(out.nextLedger).toEqual([
      { ...ledgerEntry("A", 1, NOW), claimedBy: "grp:ev-u0" },
      { ...ledgerEntry("B", 1, NOW), claimedBy: "grp:ev-u0" },
    ]);
    const late = settle(base({ fresh: null, cachedAt: T0 + 41_000, now: T0 + 42_000, joins: [join("late", T0 + 5_100, T0 + 40_500)], ledger: out.nextLedger }));
    expect(late.verdicts.map((v) => show(v.verdict))).toEqual(["unresolved:A,B"]);
    expect(late.groups[0]?.eliminable).toBe(false);
  });

  it("describes the groups it forms", () => {
    const split = settle(base({ joins: joins(3), fresh: [freshInvite("A", 12), freshInvite("B", 5)] }));
    expect(split.groups).toEqual([{ groupId: "grp:ev-u0", members: ["ev-u0", "ev-u1", "ev-u2"], candidates: ["A", "A", "B"], eliminable: true }]);
    const surplus = settle(base({ joins: joins(3), fresh: [freshInvite("A", 12), freshInvite("B", 4)], now: T0 + 60_000, fetchStartedAt: T0 + 59_000 }));
    expect(surplus.groups[0]?.eliminable).toBe(false);
  });

  it("updates the cache: fresh invites alive, vanished ones tombstoned once, old tombstones pruned", () => {
    const out = settle(
      base({
        joins: [],
        cached: [
          cachedInvite("A", 10),
          cachedInvite("GONE", 0, { maxUses: 1 }),
          cachedInvite("ANCIENT", 1, { deletedAt: NOW - 2 * 86_400_000, vanishSettled: true }),
        ],
        fresh: [freshInvite("A", 10, { inviterId: "42", channelId: "7" })],
      }),
    );
    expect(out.nextCache).toEqual([
      { ...freshInvite("A", 10, { inviterId: "42", channelId: "7" }), deletedAt: null },
      { ...cachedInvite("GONE", 0, { maxUses: 1 }), deletedAt: NOW, vanishSettled: true },
    ]);
    expect(out.nextLedger).toEqual([ledgerEntry("GONE", 1, NOW)]);
    expect(out.nextCachedAt).toBe(STARTED);
    const again = settle(base({ joins: [], cached: out.nextCache, cachedAt: out.nextCachedAt, fresh: [freshInvite("A", 10)], now: NOW + 5_000 }));
    expect(again.nextLedger).toEqual([]);
  });

  it("is deterministic and does not mutate its input", () => {
    const input = base({ joins: joins(4), fresh: [freshInvite("A", 12), freshInvite("B", 6)], ledger: [ledgerEntry("B", 1, T0 + 6_000)] });
    const copy = structuredClone({ ...input, invitationCodes: undefined });
    const a = settle(input);
    expect(settle(input)).toEqual(a);
    expect({ ...input, invitationCodes: undefined }).toEqual(copy);
  });
});
