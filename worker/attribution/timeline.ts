// A guild's attribution state and the verdicts it supports: the joins delivered,
// the snapshots fetched, the gaps of lost sessions. Pure: the caller supplies
// every time, the Durable Object stores the Timeline, the benchmark drives it on a
// virtual clock.
//
// A join gets a code only if it has that code in every world consistent with what
// was seen (solve.ts, per series); it is re-judged as evidence arrives, so a later
// snapshot can decide it, and a late event that makes a verdict unprovable revises it.
import { applyEvents, observeInvites } from "./cache";
import { solveMarked } from "./marked";
import { AFTER, BEFORE, OTHER } from "./solve";
import {
  DEFAULT_OPTIONS,
  type AttributionOptions,
  type CachedInvite,
  type FreshInvite,
  type Gap,
  type InviteEvent,
  type Series,
  type Snapshot,
  type TimelineJoin,
  type UnresolvedGroup,
  type Vanity,
  type Verdict,
} from "./types";

export interface Timeline {
  /** The invite list as of the last fetch (with invite events applied since). */
  cache: CachedInvite[];
  /** Start of the fetch `cache` came from; null before the first. */
  cachedAt: number | null;
  /** The vanity URL's count at the last fetch, when the guild has one. */
  vanity: Vanity;
  snapshots: Snapshot[];
  /** Retained joins, decided or not, sorted by (joinedAt, seq). */
  joins: TimelineJoin[];
  gaps: Gap[];
  nextSeq: number;
  /** The latest `joined_at` delivered: every join before it has arrived too. */
  watermark: number | null;
}

export function emptyTimeline(): Timeline {
  return { cache: [], cachedAt: null, vanity: null, snapshots: [], joins: [], gaps: [], nextSeq: 0, watermark: null };
}

const byOrder = (a: TimelineJoin, b: TimelineJoin) => a.joinedAt - b.joinedAt || a.seq - b.seq;

/** A join the bot made itself comes `movedNothing` and `pinned`: it takes no increment and gets no verdict here. */
export function addJoin(
  timeline: Timeline,
  join: Pick<TimelineJoin, "eventId" | "userId" | "joinedAt" | "receivedAt" | "markCodes"> & Partial<Pick<TimelineJoin, "movedNothing" | "pinned">>,
): Timeline {
  if (timeline.joins.some((j) => j.eventId === join.eventId)) return timeline;
  const joins = [...timeline.joins, { ...join, seq: timeline.nextSeq }].sort(byOrder);
  const watermark = Math.max(timeline.watermark ?? join.joinedAt, join.joinedAt);
  return { ...timeline, joins, nextSeq: timeline.nextSeq + 1, watermark };
}

/**
 * A new gateway session (GUILD_CREATE after the first): join events after the last
 * one delivered may be lost. Increments that may be theirs decide nothing.
 */
export function addGap(timeline: Timeline, receivedAt: number): Timeline {
  const from = timeline.watermark ?? timeline.snapshots[0]?.startedAt ?? receivedAt;
  return { ...timeline, gaps: [...timeline.gaps, { from, to: receivedAt }] };
}

/** Only invite events: the cache follows them between fetches. */
export function addInviteEvents(timeline: Timeline, events: readonly InviteEvent[]): Timeline {
  return events.length === 0 ? timeline : { ...timeline, cache: applyEvents(timeline.cache, events) };
}

export interface Fetched {
  invites: readonly FreshInvite[];
  startedAt: number;
  answeredAt: number;
  /** The vanity URL's count, read by a request of its own; absent when the guild has none. */
  vanity?: { value: Vanity; startedAt: number; answeredAt: number };
}

/** Records one refetch: a snapshot of the invite list, and of the vanity count when read. */
export function addFetch(timeline: Timeline, fetched: Fetched, options: Partial<AttributionOptions> = {}): Timeline {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const seen = observeInvites({
    cached: timeline.cache,
    cachedAt: timeline.cachedAt,
    fresh: fetched.invites,
    startedAt: fetched.startedAt,
    now: fetched.answeredAt,
    clockSkewMs: opts.clockSkewMs,
    tombstoneTtlMs: opts.tombstoneTtlMs,
  });
  const snapshots: Snapshot[] = [
    ...timeline.snapshots,
    { series: "invites", startedAt: fetched.startedAt, answeredAt: fetched.answeredAt, increments: seen.increments, uncertain: seen.uncertain },
  ];
  let vanity = timeline.vanity;
  if (fetched.vanity) {
    const before = timeline.vanity;
    const after = fetched.vanity.value;
    const increments: Record<string, number> = {};
    const uncertain: string[] = [];
    if (before && after && before.code === after.code) {
      if (after.uses > before.uses) increments[after.code] = after.uses - before.uses;
    } else if (before) {
      // The vanity changed or went: the old code's last uses cannot be counted.
      uncertain.push(before.code);
    }
    snapshots.push({ series: "vanity", startedAt: fetched.vanity.startedAt, answeredAt: fetched.vanity.answeredAt, increments, uncertain });
    vanity = after;
  }
  return { ...timeline, cache: seen.nextCache, cachedAt: fetched.startedAt, vanity, snapshots };
}

export interface Decision {
  timeline: Timeline;
  /** Verdicts to write: first verdicts, and revisions of earlier ones. */
  verdicts: Array<{ join: TimelineJoin; verdict: Verdict }>;
  /** Eliminable groups named by this decision's verdicts. */
  groups: UnresolvedGroup[];
  /** Fetch at this time: the earliest join that needs a fetch, plus the coalescing wait; null when none does. */
  fetchAt: number | null;
  /** Look again then (a snapshot closes, a join's wait ends), even without news; null when nothing waits. */
  wakeAt: number | null;
  /** Some increment had no join to own it: events were lost or are very late. */
  inconsistent: boolean;
}

/** Judges every retained join, hands out new and changed verdicts, and drops what no verdict needs. */
export function decide(timeline: Timeline, now: number, options: Partial<AttributionOptions> = {}): Decision {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const { joins } = timeline;
  // A frozen verdict is not revised: such joins only shape the others' cuts.
  const open = (j: TimelineJoin) => !j.emitted || now < j.receivedAt + opts.freezeMs;
  const solved = solveMarked(joins, timeline.snapshots, timeline.gaps, now, opts, open);
  const labelsOf = (i: number) => solved.series.map((s) => [s, solved.labels.get(s)![i]!] as const);

  // Eliminable groups come from the invite list, for members no other series could claim.
  const groupOf = new Map<number, { id: string; candidates: string[] }>();
  const groups: UnresolvedGroup[] = [];
  for (const g of solved.groups) {
    // A marked member has a role verdict, not an unresolved one: elimination would not see it.
    if (g.members.some((i) => solved.marked[i])) continue;
    const onlyInvites = g.members.every((i) => labelsOf(i).every(([s, l]) => s === "invites" || onlyOther(l)));
    if (!onlyInvites) continue;
    const id = `grp:${joins[g.members[0]!]!.eventId}`;
    for (const i of g.members) groupOf.set(i, { id, candidates: g.candidates });
    groups.push({ groupId: id, members: g.members.map((i) => joins[i]!.eventId), candidates: g.candidates, eliminable: true });
  }

  const verdicts: Decision["verdicts"] = [];
  const next: TimelineJoin[] = [];
  let fetchAt: number | null = null;
  let wakeAt: number | null = null;
  const earliest = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
  // When the counts have no world (events lost or late, clocks apart), the solver asks for no fetch: a join
  // waiting for its verdict that the latest fetch may not hold then waits for the next one, which settles it.
  const unheld = (join: TimelineJoin) =>
    !solved.consistent && !join.emitted && !join.pinned && (timeline.cachedAt === null || join.receivedAt + opts.countLagMs > timeline.cachedAt);
  const markedCodes = new Set(timeline.cache.filter((c) => (c.roles?.length ?? 0) > 0).map((c) => c.code));
  const mayBeMarked = (verdict: Verdict) => verdict.kind === "unresolved" && verdict.candidates.some((code) => markedCodes.has(code));
  joins.forEach((join, i) => {
    // A frozen verdict only shapes the others' cuts: nothing of it is judged again.
    if (!open(join)) return void next.push(join);
    const judged = solved.marked[i] ?? judge(labelsOf(i));
    if (judged.needsFetch || unheld(join)) fetchAt = earliest(fetchAt, join.receivedAt + opts.countLagMs + opts.coalesceMs);
    let verdict: Verdict | null = judged.verdict;
    if (verdict?.kind === "unresolved") {
      const group = groupOf.get(i);
      // A group's candidates hold the join's own: through one of its own is through one of the group's.
      verdict = group ? { ...verdict, candidates: group.candidates, groupId: group.id } : verdict;
      if (solved.inGap[i]) {
        const { throughCandidate: _lost, ...rest } = verdict;
        verdict = { ...rest, gap: true };
      }
    }
    let emitted = join.emitted;
    // A frozen verdict is not revised; but every join gets one (a join never written would be lost).
    if (!join.pinned && open(join) && verdict) {
      // An undecided verdict waits for late evidence, unless the counts can no longer name its code
      // (solve.ts, `settled`): then it is written now, in a raid as in a quiet hour. A later snapshot may still narrow it.
      // A member of a marked invite may still get its mark in an update (worker/marks): that join waits as before.
      const due = !undecided(verdict) || now >= join.receivedAt + opts.settleWaitMs || (solved.settled[i]! && !mayBeMarked(verdict));
      if (emitted ? !sameVerdict(emitted, verdict) : due) {
        emitted = verdict;
        verdicts.push({ join: { ...join, emitted }, verdict });
      } else if (!emitted) {
        wakeAt = earliest(wakeAt, join.receivedAt + opts.settleWaitMs);
      }
    }
    next.push(emitted === join.emitted ? join : { ...join, emitted });
  });

  // A snapshot closing can still change a verdict that is not frozen.
  const unfrozen = joins.some((j) => now < j.receivedAt + opts.freezeMs);
  if (unfrozen && solved.nextClosureAt !== null) wakeAt = earliest(wakeAt, solved.nextClosureAt);
  return {
    timeline: prune({ ...timeline, joins: next }, now, opts),
    verdicts,
    groups: groups.filter((g) => verdicts.some((v) => g.members.includes(v.join.eventId))),
    fetchAt,
    wakeAt,
    inconsistent: !solved.consistent,
  };
}

const isCode = (label: string) => label !== OTHER && label !== BEFORE && label !== AFTER;
const onlyOther = (labels: ReadonlySet<string>) => [...labels].every((l) => l === OTHER);

/**
 * Combines the series' labels of one join. A code of one series is possible only
 * where every other series allows "not mine" (OTHER); so is "moved nothing". The
 * join is attributed when exactly one code is possible and moving nothing is not.
 */
function judge(perSeries: ReadonlyArray<readonly [Series, ReadonlySet<string>]>): { verdict: Verdict | null; needsFetch: boolean } {
  if (perSeries.some(([, labels]) => labels.has(AFTER))) return { verdict: null, needsFetch: true };
  // Before a series' first snapshot nothing of it can be told.
  const unknown = perSeries.some(([, labels]) => labels.has(BEFORE));
  const notMine = perSeries.map(([, labels]) => labels.has(OTHER) || labels.has(BEFORE));
  const possible: Array<{ series: Series; code: string }> = [];
  perSeries.forEach(([series, labels], s) => {
    if (!notMine.every((ok, o) => ok || o === s)) return;
    for (const code of labels) if (isCode(code)) possible.push({ series, code });
  });
  const movedNothing = notMine.every(Boolean);
  const candidates = [...new Set(possible.map((p) => p.code))].sort();
  const only = possible[0];
  if (!unknown && !movedNothing && possible.length === 1 && only) {
    return { verdict: only.series === "vanity" ? { kind: "vanity", code: only.code } : { kind: "diff", code: only.code }, needsFetch: false };
  }
  const through = !unknown && !movedNothing && candidates.length > 0 ? { throughCandidate: true as const } : {};
  return { verdict: { kind: "unresolved", candidates, groupId: null, ...through }, needsFetch: false };
}

/** A verdict that names no code yet, while more evidence may: written only once the settle wait is over. */
function undecided(verdict: Verdict): boolean {
  if (verdict.kind === "unresolved") return verdict.candidates.length > 0;
  return verdict.kind === "role" && verdict.code === null;
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "role" && b.kind === "role") return a.code === b.code && a.candidates.join() === b.candidates.join();
  if (a.kind === "unresolved" && b.kind === "unresolved") {
    return a.groupId === b.groupId && a.candidates.join() === b.candidates.join() && a.gap === b.gap && a.throughCandidate === b.throughCandidate;
  }
  return (a as { code: string }).code === (b as { code: string }).code;
}

/**
 * Drops frozen joins whose verdict is out, with the snapshots before them. Each
 * series keeps its last snapshot from before the cut as a baseline; the joins
 * dropped are inside every baseline, so the rest are judged as before.
 */
function prune(timeline: Timeline, now: number, opts: AttributionOptions): Timeline {
  const cutoff = now - opts.retainMs;
  const baselines = new Map<Series, number>();
  timeline.snapshots.forEach((s, index) => {
    if (s.startedAt <= cutoff) baselines.set(s.series, index);
  });
  if (baselines.size === 0) return timeline;
  const baselineStart = Math.min(...[...baselines.values()].map((i) => timeline.snapshots[i]!.startedAt));
  const series = new Set(timeline.snapshots.map((s) => s.series));
  if ([...series].some((s) => !baselines.has(s))) return timeline;
  const keepJoin = (j: TimelineJoin) => !((j.emitted || j.pinned) && now >= j.receivedAt + opts.freezeMs && j.receivedAt + opts.countLagMs <= baselineStart);
  const snapshots = timeline.snapshots.filter((s, index) => index >= (baselines.get(s.series) ?? 0));
  return {
    ...timeline,
    snapshots,
    joins: timeline.joins.filter(keepJoin),
    gaps: timeline.gaps.filter((g) => g.to >= cutoff - opts.retainMs),
  };
}
