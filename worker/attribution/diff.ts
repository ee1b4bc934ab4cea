// settle(): one verdict per join from the cached invites, a fresh fetch and the
// ledger of unclaimed increments. Pure: the caller supplies every time.
//
// Model. Every increment a fetch shows (a rise, a new code's uses, a consumed
// single-use invite, a vanity rise) becomes units in the ledger, each with the
// window of join times that could own it (see matching.ts). A join is *ripe* once a
// fetch has started at least `countLagMs` after the join event was received: from
// then on its increment, if Discord exposes it at all, has been shown. Only ripe
// joins are matched.
//
// Verdicts, for the ripe joins:
// - A join whose code is the same in every assignment of one eligible unit per ripe
//   join is attributed (`diff`/`vanity`) and spends a unit. This covers
//   the design's "N joins, increments all on one code" and "one join, one increment
//   of 1", and also decides when more increments than joins are visible but all on
//   one code (the rest stay for the join events still on their way).
// - The others: when their eligible units are exactly as many as they are, they are
//   unresolved now, as one group (waiting cannot help). When there are more units
//   (join events still on their way) or fewer (increments not visible: e.g. a
//   vanity join when the vanity is not fetched, a join with no invite), they wait
//   up to `joinWaitMs`, then become one unresolved group. Surplus joins are never
//   given a code.
// - Units are never removed before their TTL: an attributed join marks one of its
//   code as spent, a group marks those eligible to its members as claimed. A join
//   that could own such a unit (typically a join event arriving late) is attributed
//   only if every unit it could own has the same code; otherwise it is unresolved
//   at once. That keeps a late join from taking a unit another join's verdict
//   already accounted for.
// - A code whose rise cannot be known leaves an `uncertain` ledger entry: joins it
//   could belong to are unresolved, never attributed to it. That is a code missing
//   from the cache although it existed at the last fetch, a vanity seen for the
//   first time, a code known only from its INVITE_DELETE, and any invite that
//   vanished other than at max_uses - 1 (deleted or expired: uses it had between
//   the last fetch and its end can no longer be counted; its window ends there).
import { applyEvents, observe } from "./cache";
import { assign, eligible, possibleCodes, toEntries, toUnits, type Unit } from "./matching";
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
  /** Waiting joins not ripe yet need a fetch started at or after this (null: none). */
  nextFetchAt: number | null;
  /**
   * Ripe waiting joins are settled by a call at or after this, with or without a
   * fetch (`fresh: null` is enough): null when none waits.
   */
  nextDeadlineAt: number | null;
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
    : { increments: [], nextCache: cache };

  const alive = (e: LedgerEntry) => e.seenAt + opts.ledgerTtlMs > now;
  // Claimed entries are accounted for by their group, uncertain ones may be no join
  // at all: only free increments expiring mean missed join events.
  const expiredLedger = input.ledger.filter((e) => !alive(e) && e.claimedBy === undefined && !e.uncertain);
  let units = toUnits([...input.ledger.filter(alive), ...observation.increments]);

  const ripeAt = (j: PendingJoin) => j.receivedAt + opts.countLagMs;
  const deadline = (j: PendingJoin) => ripeAt(j) + opts.joinWaitMs;
  const timedOut = (joins: readonly PendingJoin[]) => joins.some((j) => now >= deadline(j));
  const canOwn = (u: Unit, j: PendingJoin) => eligible(u, j.joinedAt, opts);
  const isFree = (u: Unit) => u.claimedBy === undefined && !u.uncertain;
  const freeFor = (joins: readonly PendingJoin[]) => units.filter((u) => isFree(u) && joins.some((j) => canOwn(u, j)));

  const byTime = [...input.joins].sort((a, b) => a.joinedAt - b.joinedAt || a.eventId.localeCompare(b.eventId));
  const ripe = byTime.filter((j) => fetchedAt !== null && fetchedAt >= ripeAt(j));
  const waiting = byTime.filter((j) => !ripe.includes(j));

  const verdicts: SettleOutput["verdicts"] = [];
  const groups: UnresolvedGroup[] = [];

  // Settles `joins` as one unresolved group; it claims the free units eligible to them.
  const formGroup = (joins: readonly PendingJoin[], eliminable: boolean) => {
    const groupId = `grp:${(joins[0] as PendingJoin).eventId}`;
    const mine = units.filter((u) => joins.some((j) => canOwn(u, j)));
    const candidates = mine.map((u) => u.code).sort();
    units = units.map((u) => (mine.includes(u) && isFree(u) ? { ...u, claimedBy: groupId } : u));
    groups.push({ groupId, members: joins.map((j) => j.eventId), candidates, eliminable });
    for (const join of joins) verdicts.push({ join, verdict: { kind: "unresolved", candidates, groupId } });
  };
  // An attributed join spends a unit: marked, not removed, since which unit of
  // its code it used is not always pinned down and a late join may own another.
  const attribute = (join: PendingJoin, unit: Unit) => {
    verdicts.push({ join, verdict: verdictFor(unit, input.invitationCodes) });
    if (isFree(unit)) units = units.map((u) => (u === unit ? { ...u, claimedBy: `join:${join.eventId}` } : u));
  };
  const touchesSpent = (j: PendingJoin) => units.some((u) => !isFree(u) && canOwn(u, j));

  // Joins that could own a spent, claimed or uncertain unit: their own increment may
  // be there, so the matching below cannot count on them. Only a window holding a
  // single code decides them.
  const exposed = ripe.filter(touchesSpent);
  const clean = ripe.filter((j) => !exposed.includes(j));

  if (clean.length > 0) {
    const free = freeFor(clean);
    const times = clean.map((j) => j.joinedAt);
    const assignment = assign(times, free, opts);
    if (assignment === null) {
      // Some ripe join's increment is not visible: nothing can be decided safely.
      if (timedOut(clean)) formGroup(clean, false);
      else waiting.push(...clean);
    } else {
      const decided = clean.filter((_, i) => possibleCodes(times, i, free, opts).length === 1);
      for (const join of decided) attribute(join, assignment[clean.indexOf(join)] as Unit);
      const rest = clean.filter((j) => !decided.includes(j));
      if (rest.length > 0) {
        // Exactly as many units as joins: each is one member's, so elimination holds,
        // unless units spent just now could have been theirs.
        if (freeFor(rest).length === rest.length || timedOut(rest)) formGroup(rest, !rest.some(touchesSpent));
        else waiting.push(...rest);
      }
    }
  }
  for (const join of exposed) {
    const window = units.filter((u) => canOwn(u, join));
    const codes = new Set(window.map((u) => u.code));
    const spare = window.find(isFree);
    if (codes.size === 1 && !window.some((u) => u.uncertain)) attribute(join, spare ?? (window[0] as Unit));
    else formGroup([join], false);
  }

  waiting.sort((a, b) => a.joinedAt - b.joinedAt || a.eventId.localeCompare(b.eventId));
  const earliest = (times: number[]) => (times.length > 0 ? Math.min(...times) : null);
  return {
    verdicts: verdicts.sort((a, b) => byTime.indexOf(a.join) - byTime.indexOf(b.join)),
    groups,
    waiting,
    nextFetchAt: earliest(waiting.filter((j) => !ripe.includes(j)).map(ripeAt)),
    nextDeadlineAt: earliest(waiting.filter((j) => ripe.includes(j)).map(deadline)),
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
