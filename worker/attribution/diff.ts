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
//   join is attributed (`diff`/`vanity`) and its unit leaves the ledger. This covers
//   the design's "N joins, increments all on one code" and "one join, one increment
//   of 1", and also decides when more increments than joins are visible but all on
//   one code (the rest stay for the join events still on their way).
// - The others: when their eligible units are exactly as many as they are, they are
//   unresolved now, as one group (waiting cannot help). When there are more units
//   (join events still on their way) or fewer (increments not visible: e.g. a
//   vanity join when the vanity is not fetched, a join with no invite), they wait
//   up to `joinWaitMs`, then become one unresolved group. Surplus joins are never
//   given a code.
// - A group marks the units eligible to its members as claimed, not removed: a
//   late join that could own one of them is never decided by diff (it is settled
//   unresolved at once), since its own increment may be among them.
// - Likewise a code whose rise cannot be known (missing from the cache although it
//   existed at the last fetch, a vanity seen for the first time, a limited invite
//   that vanished short of max_uses - 1, a code known only from its INVITE_DELETE)
//   leaves an `uncertain` ledger entry: joins it could belong to are unresolved.
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

  const contested = ripe.filter((j) => units.some((u) => !isFree(u) && canOwn(u, j)));
  const clean = ripe.filter((j) => !contested.includes(j));
  if (clean.length > 0) {
    const free = freeFor(clean);
    const times = clean.map((j) => j.joinedAt);
    const assignment = assign(times, free, opts);
    if (assignment === null) {
      // Some ripe join's increment is not visible: nothing can be decided safely.
      if (timedOut(clean)) formGroup(clean, false);
      else waiting.push(...clean);
    } else {
      // Decided joins take the unit of the complete assignment: what remains
      // still gives every other join a unit.
      const decided = clean.filter((_, i) => possibleCodes(times, i, free, opts).length === 1);
      for (const join of decided) {
        const taken = assignment[clean.indexOf(join)] as Unit;
        units = units.filter((u) => u !== taken);
        verdicts.push({ join, verdict: verdictFor(taken, input.invitationCodes) });
      }
      const rest = clean.filter((j) => !decided.includes(j));
      if (rest.length > 0) {
        if (freeFor(rest).length === rest.length || timedOut(rest)) formGroup(rest, true);
        else waiting.push(...rest);
      }
    }
  }
  if (contested.length > 0) formGroup(contested, false);

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
