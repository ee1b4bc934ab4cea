// settle(): one verdict per join from the cached invites, a fresh fetch and the
// ledger of unclaimed increments. Pure: the caller supplies every time.
//
// Model. Every increment a fetch shows (a rise, a new code's uses, a consumed
// single-use invite, a vanity rise) becomes units in the ledger, stamped with the
// fetch time. Joins draw units from the ledger. A join is *ripe* once a fetch has
// started at least `countLagMs` after the join event was received: from then on its
// increment, if Discord exposes it at all, is in the ledger. Only ripe joins are
// matched; for each, a unit is eligible when it was seen no earlier than the join
// happened (minus clock skew).
//
// Verdicts, for the ripe joins:
// - A join whose code is the same in every assignment of one eligible unit per ripe
//   join is attributed (`diff`/`vanity`) and its unit leaves the ledger. This covers
//   the design's "N joins, increments all on one code" and "one join, one increment
//   of 1", and also decides when more increments than joins are visible but all on
//   one code (the rest stay for the join events still on their way).
// - The others: when their eligible units are exactly as many as they are, they are
//   unresolved now, as one group claiming those units (waiting cannot help).
//   When there are more units (join events still on their way) or fewer (increments
//   not visible: e.g. a vanity join when the vanity is not fetched, a join with no
//   invite), they wait up to `joinWaitMs`, then become one unresolved group that
//   claims every unit eligible to them. Surplus joins are never given a code.
// - A code whose rise cannot be known (missing from the cache although it existed
//   at the last fetch, or a vanity seen for the first time) makes every ripe join of
//   the batch unresolved: any of them could be its.
import { applyEvents, observe } from "./cache";
import { feasible, pickUnit, possibleCodes, toEntries, toUnits, type Unit } from "./matching";
import {
  DEFAULT_SETTLE_OPTIONS,
  type CachedInvite,
  type FreshInvite,
  type InviteEvent,
  type LedgerEntry,
  type PendingJoin,
  type SettleOptions,
  type UnresolvedGroup,
  type Vanity,
  type Verdict,
} from "./types";

export interface SettleInput {
  cached: readonly CachedInvite[];
  /** Start time of the fetch `cached` came from; null before the first fetch. */
  cachedAt: number | null;
  /** The invite list just fetched, or null to re-match the ledger without a fetch. */
  fresh: readonly FreshInvite[] | null;
  vanityBefore: Vanity;
  vanityAfter: Vanity;
  /** INVITE_CREATE / INVITE_DELETE seen since the last fetch (may already be applied to `cached`). */
  events: readonly InviteEvent[];
  /** Every join waiting: new ones and those `settle` returned as waiting. */
  joins: readonly PendingJoin[];
  ledger: readonly LedgerEntry[];
  /** When the fetch answered (or, with `fresh: null`, the current time). */
  now: number;
  /** When the fetch was sent; joins received after it are not ripe. Defaults to `now`. */
  fetchStartedAt?: number;
  /** Codes of single-use invites minted for invitations: code -> invitation id. */
  invitationCodes?: ReadonlyMap<string, string>;
  options?: Partial<SettleOptions>;
}

export interface SettleOutput {
  verdicts: Array<{ join: PendingJoin; verdict: Verdict }>;
  /** Groups formed by this call (their members' verdicts are `unresolved`). */
  groups: UnresolvedGroup[];
  /** Joins with no verdict yet: pass them again to the next `settle`. */
  waiting: PendingJoin[];
  /**
   * When to call `settle` again for the waiting joins: unripe ones need a fetch
   * started at or after this; ripe ones are settled at their deadline even with
   * `fresh: null`. Null when nothing waits.
   */
  nextCheckAt: number | null;
  nextCache: CachedInvite[];
  /** The `cachedAt` to pass next time. */
  nextCachedAt: number | null;
  nextLedger: LedgerEntry[];
  /** Increments that expired unclaimed: join events were missed. Log them. */
  expiredLedger: LedgerEntry[];
}

export function settle(input: SettleInput): SettleOutput {
  const opts: SettleOptions = { ...DEFAULT_SETTLE_OPTIONS, ...input.options };
  const { now } = input;
  const cache = applyEvents(input.cached, input.events);
  const fetchedAt = input.fresh ? (input.fetchStartedAt ?? now) : input.cachedAt;
  const observation = input.fresh
    ? observe({
        cached: cache,
        cachedAt: input.cachedAt,
        fresh: input.fresh,
        vanityBefore: input.vanityBefore,
        vanityAfter: input.vanityAfter,
        now,
        clockSkewMs: opts.clockSkewMs,
        tombstoneTtlMs: opts.tombstoneTtlMs,
      })
    : { increments: [], uncertain: [], nextCache: cache };

  const expiredLedger = input.ledger.filter((e) => e.seenAt + opts.ledgerTtlMs <= now);
  const live = input.ledger.filter((e) => e.seenAt + opts.ledgerTtlMs > now);
  let units = toUnits([...live, ...observation.increments]);

  const ripeAt = (j: PendingJoin) => j.receivedAt + opts.countLagMs;
  const deadline = (j: PendingJoin) => ripeAt(j) + opts.joinWaitMs;
  const threshold = (j: PendingJoin) => j.joinedAt - opts.clockSkewMs;
  const eligibleToAny = (joins: readonly PendingJoin[]) => (u: Unit) => joins.some((j) => u.seenAt >= threshold(j));

  const byTime = [...input.joins].sort((a, b) => a.joinedAt - b.joinedAt || a.eventId.localeCompare(b.eventId));
  const ripe = byTime.filter((j) => fetchedAt !== null && fetchedAt >= ripeAt(j));
  const waiting = byTime.filter((j) => !ripe.includes(j));

  const verdicts: SettleOutput["verdicts"] = [];
  const groups: UnresolvedGroup[] = [];

  // Settles `joins` as one unresolved group claiming every unit eligible to them.
  const formGroup = (joins: readonly PendingJoin[], extraCandidates: readonly string[], eliminable: boolean) => {
    const claims = eligibleToAny(joins);
    const candidates = [...units.filter(claims).map((u) => u.code), ...extraCandidates].sort();
    units = units.filter((u) => !claims(u));
    const groupId = `grp:${(joins[0] as PendingJoin).eventId}`;
    groups.push({ groupId, members: joins.map((j) => j.eventId), candidates, eliminable });
    for (const join of joins) verdicts.push({ join, verdict: { kind: "unresolved", candidates, groupId } });
  };

  if (ripe.length > 0 && observation.uncertain.length > 0) {
    formGroup(ripe, observation.uncertain, false);
  } else if (ripe.length > 0) {
    const timedOut = (joins: readonly PendingJoin[]) => joins.some((j) => now >= deadline(j));
    if (!feasible(ripe.map(threshold), units.filter(eligibleToAny(ripe)))) {
      // Some ripe join's increment is not visible: nothing can be decided safely.
      if (timedOut(ripe)) formGroup(ripe, [], false);
      else waiting.push(...ripe);
    } else {
      const thresholds = ripe.map(threshold);
      const decided = ripe
        .map((join, i) => ({ join, codes: possibleCodes(thresholds, i, units) }))
        .filter((d) => d.codes.length === 1);
      for (const { join, codes } of decided) {
        const taken = units[pickUnit(units, codes[0] as string, threshold(join))] as Unit;
        units = units.filter((u) => u !== taken);
        verdicts.push({ join, verdict: verdictFor(taken, input.invitationCodes) });
      }
      const rest = ripe.filter((j) => !decided.some((d) => d.join === j));
      if (rest.length > 0) {
        const exact = units.filter(eligibleToAny(rest)).length === rest.length;
        if (exact || timedOut(rest)) formGroup(rest, [], true);
        else waiting.push(...rest);
      }
    }
  }

  waiting.sort((a, b) => a.joinedAt - b.joinedAt || a.eventId.localeCompare(b.eventId));
  const checks = waiting.map((j) => (ripe.includes(j) ? deadline(j) : ripeAt(j)));
  return {
    verdicts: verdicts.sort((a, b) => byTime.indexOf(a.join) - byTime.indexOf(b.join)),
    groups,
    waiting,
    nextCheckAt: checks.length > 0 ? Math.min(...checks) : null,
    nextCache: observation.nextCache,
    nextCachedAt: fetchedAt,
    nextLedger: toEntries(units),
    expiredLedger,
  };
}

function verdictFor(unit: Unit, invitationCodes: ReadonlyMap<string, string> | undefined): Verdict {
  if (unit.kind === "vanity") return { kind: "vanity", code: unit.code };
  const invitationId = invitationCodes?.get(unit.code);
  return invitationId === undefined ? { kind: "diff", code: unit.code } : { kind: "diff", code: unit.code, invitationId };
}
