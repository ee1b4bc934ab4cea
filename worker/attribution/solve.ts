// Which codes each join may have used, judged from one series of snapshots.
//
// Model (Discord's behaviour): Discord stamps `joined_at` and raises the invite's
// `uses` in one step, so a snapshot holds exactly the joins before one instant,
// and the joins between two snapshots are a contiguous run in `joined_at` order
// (arrival order breaks ties: the gateway delivers in Discord's order). Every
// increment between two snapshots belongs to one join of that run; a join of the
// run may also have moved nothing this series counts (Discovery, OAuth, the other
// series, a deleted invite).
//
// A world is a choice of cut per snapshot (how many of the sorted joins it holds)
// consistent with:
// - causality: a join received before a fetch started is in that snapshot;
// - time: a join stamped before the fetch is in, well after its answer is out
//   (`clockSkewMs` bounds the two clocks' difference; how far Discord's clock can be
//   behind ours is also observed, from joins received after they happened);
// - counts: the run between two cuts holds at least that interval's increments;
// - closure: once a later join, or a bounded wait, says every join before a
//   snapshot has arrived, the snapshot holds no join yet to come.
// The only constraints between cuts are lower bounds on their differences, so the
// feasible cuts of each snapshot form one range, found by a forward and a backward
// pass, and every value in it is part of some world. A join may then sit in an
// interval exactly when that interval's extreme cuts put it there.
//
// With a count lag (`countLagMs` > 0) order holds only up to the lag: joins closer
// than it form blocks whose members a cut may split in any way.
import type { AttributionOptions, Gap, Snapshot, TimelineJoin } from "./types";

/** Labels besides codes: moved nothing this series counts; before the first snapshot; after the last. */
export const OTHER = "\u0000other";
export const BEFORE = "\u0000before";
export const AFTER = "\u0000after";
/** The labels of a join not asked about: as if nothing could be told. */
const UNWANTED: ReadonlySet<string> = new Set([BEFORE, OTHER]);

export interface SeriesVerdicts {
  /** For each join (in the order given): every label it has in some world. */
  labels: Array<ReadonlySet<string>>;
  /** Runs of joins whose interval is pinned on both sides and holds exactly its increments (of several codes). */
  groups: Array<{ from: number; to: number; candidates: string[]; at: number }>;
  /** The next time a snapshot closes by the wait alone (a reason to look again), or null. */
  nextClosureAt: number | null;
  /** False when even the loosest reading left some increment without a join (events were lost). */
  consistent: boolean;
  /** Per join: it may sit in an interval a lost session fed, so what it moved cannot be told. */
  inGap: boolean[];
  /**
   * Per join asked about: the counts can no longer name its code, so its verdict need
   * not wait. Either every interval it may sit in ends with a snapshot that a later join
   * closed (the gateway delivers in order: none of their joins is still to come), or
   * every one of them surely holds more joins than increments (a join still to come only
   * adds to the crowd). Only a later snapshot can narrow its candidates.
   */
  settled: boolean[];
  /**
   * Per join asked to be located: every interval it may sit in, k for (snapshot k-1, k],
   * 0 before the first snapshot, m+1 after the last; empty for the others.
   */
  intervals: number[][];
}

type Opts = Pick<AttributionOptions, "clockSkewMs" | "countLagMs" | "deliveryWaitMs"> & {
  /**
   * A lower bound on Discord's clock minus ours, observed: every join was received
   * after it happened, so no join's `joinedAt - receivedAt` exceeds that difference.
   */
  observedOffsetMs?: number;
};

/** `joins` sorted by (joinedAt, seq); `snapshots` of one series in fetch order. */
export function solveSeries(
  joins: readonly TimelineJoin[],
  snapshots: readonly Snapshot[],
  gaps: readonly Gap[],
  now: number,
  opts: Opts,
  /** Joins whose labels are wanted; the others (frozen verdicts) only shape the cuts. */
  wanted: (i: number) => boolean = () => true,
  /** Joins whose intervals are wanted (marked joins, worker/attribution/marked.ts). */
  located: (i: number) => boolean = () => false,
): SeriesVerdicts {
  const n = joins.length;
  const m = snapshots.length - 1;
  const intervals = joins.map((): number[] => []);
  if (m < 0) return { labels: joins.map(() => new Set([AFTER])), groups: [], nextClosureAt: null, consistent: true, inGap: joins.map(() => false), settled: joins.map(() => false), intervals };
  const { clockSkewMs: skew, countLagMs: lag } = opts;
  // Discord's clock read at least our start plus this when it took the snapshot.
  const low = Math.max(-skew, opts.observedOffsetMs ?? -Infinity);

  const block = blocks(joins, lag);
  const times = joins.map((j) => j.joinedAt);
  const answers = snapshots.map((s) => s.answeredAt);
  const forcedIn = (i: number, k: number) => {
    const s = snapshots[k]!;
    const j = joins[i]!;
    return j.receivedAt + lag <= s.startedAt || j.joinedAt + lag < s.startedAt + low;
  };
  const forcedOut = (i: number, k: number) => joins[i]!.joinedAt > snapshots[k]!.answeredAt + skew;
  const total = (s: Snapshot) => Object.values(s.increments).reduce((a, b) => a + b, 0);
  const counted = snapshots.map(total);
  // Intervals a lost session may have fed: their increments may all be lost joins'. A gap
  // ends when its GUILD_CREATE arrived: a fetch sent after that holds every lost join.
  const lossy = snapshots.map(
    (s, k) => k > 0 && gaps.some((g) => g.from < s.answeredAt + skew && g.to > snapshots[k - 1]!.startedAt),
  );

  // The last join forced into each snapshot, by time or by having arrived before it was fetched.
  const byArrival = joins.map((_, i) => i).sort((a, b) => joins[a]!.receivedAt - joins[b]!.receivedAt);
  let arrived = 0;
  let lastArrived = -1;
  const lastIn = snapshots.map((s) => {
    while (arrived < n && joins[byArrival[arrived]!]!.receivedAt + lag <= s.startedAt) lastArrived = Math.max(lastArrived, byArrival[arrived++]!);
    return Math.max(lastArrived, countBelow(times, s.startedAt + low - lag) - 1);
  });
  const lowest = snapshots.map((_, k) => (lastIn[k]! < 0 ? 0 : cutBefore(block[lastIn[k]!]!, (j) => forcedIn(j, k))));
  const firstOut = snapshots.map((s, k) => {
    const first = countAtMost(times, s.answeredAt + skew);
    return first >= n ? null : cutBefore(block[first]!, (j) => !forcedOut(j, k));
  });
  const closesAt = (k: number) => snapshots[k]!.answeredAt + skew + opts.deliveryWaitMs;
  const closedByOrder = Math.max(-1, ...snapshots.map((_, k) => (firstOut[k] !== null ? k : -1)));
  const closedByWait = Math.max(-1, ...snapshots.map((_, k) => (now >= closesAt(k) ? k : -1)));

  // Readings from the strictest to the loosest: each drops an assumption a late or
  // lost event may have broken. The first one with a world is the truth's.
  const readings: Array<{ closedUpTo: number; lossy: boolean[] }> = [
    { closedUpTo: Math.max(closedByOrder, closedByWait), lossy },
    { closedUpTo: closedByOrder, lossy },
    { closedUpTo: closedByOrder, lossy: lossy.map((l, k) => l || k > 0) },
  ];
  let consistent = true;
  let cuts: Cuts | null = null;
  for (const reading of readings) {
    const hi = snapshots.map((_, k) => firstOut[k] ?? (k <= reading.closedUpTo ? n : Infinity));
    const required = snapshots.map((_, k) => (reading.lossy[k] ? 0 : counted[k]!));
    cuts = feasibleCuts(lowest, hi, required);
    if (cuts) {
      cuts.lossy = reading.lossy;
      break;
    }
    consistent = false;
  }
  // Only clocks further apart than `clockSkewMs` leave even the loosest reading without a
  // world: then nothing in this series can be told.
  if (!cuts) return { labels: joins.map(() => new Set([BEFORE, OTHER])), groups: [], nextClosureAt: null, consistent: false, inGap: joins.map(() => false), settled: joins.map(() => false), intervals };
  const { fmin, bmax, lossy: lossyUsed } = cuts;

  const codes = snapshots.map((s) => Object.keys(s.increments).filter((code) => s.increments[code]! > 0));
  const inGap = joins.map(() => false);
  const settled = joins.map(() => false);
  const labels = joins.map((_, i) => {
    const locate = located(i);
    if (!wanted(i) && !locate) return UNWANTED;
    const [bs, be] = block[i]!;
    const set = new Set<string>();
    const at = locate ? intervals[i]! : [];
    let closed = true;
    let crowded = true;
    if (bmax[0]! > bs && !forcedOut(i, 0)) {
      set.add(BEFORE);
      at.push(0);
    }
    // Snapshots that answered before the join (less skew) cannot hold it.
    for (let k = Math.max(1, countBelow(answers, times[i]! - skew)); k <= m; k++) {
      if (forcedIn(i, k - 1)) break; // in every later snapshot too
      if (forcedOut(i, k) || !(fmin[k - 1]! < be && bmax[k]! > bs)) continue;
      at.push(k);
      if (k > closedByOrder || lossyUsed[k]) closed = false;
      // The fewest joins any world puts in the interval, against its increments.
      if (lossyUsed[k] || fmin[k]! - bmax[k - 1]! <= counted[k]!) crowded = false;
      for (const code of codes[k]!) set.add(code);
      // A gap of a lost session, not the loosest reading's doubt.
      if (lossy[k]) inGap[i] = true;
      if (lossyUsed[k] || bmax[k]! - fmin[k - 1]! > counted[k]!) {
        set.add(OTHER);
        for (const code of snapshots[k]!.uncertain) set.add(code);
      }
    }
    if (fmin[m]! < be && !forcedIn(i, m)) {
      set.add(AFTER);
      at.push(m + 1);
    }
    settled[i] = (closed || crowded) && !set.has(BEFORE) && !set.has(AFTER);
    return wanted(i) ? set : UNWANTED;
  });

  const groups: SeriesVerdicts["groups"] = [];
  for (let k = 1; k <= m; k++) {
    const [a, b] = [fmin[k - 1]!, fmin[k]!];
    const pinned = a === bmax[k - 1] && b === bmax[k] && b - a === counted[k] && !lossyUsed[k];
    const candidates = Object.entries(snapshots[k]!.increments).flatMap(([code, count]) => Array<string>(count).fill(code));
    const whole = (pos: number) => pos === 0 || pos === n || block[pos]![0] === pos;
    if (pinned && new Set(candidates).size > 1 && whole(a) && whole(b)) {
      groups.push({ from: a, to: b, candidates: candidates.sort(), at: snapshots[k]!.startedAt });
    }
  }

  const future = snapshots.map((_, k) => closesAt(k)).filter((t) => t > now);
  return { labels, groups, nextClosureAt: future.length > 0 ? Math.min(...future) : null, consistent, inGap, settled, intervals };
}

interface Cuts {
  fmin: number[];
  bmax: number[];
  lossy: boolean[];
}

/** Forward and backward passes: the range of feasible cuts of each snapshot, or null when none is. */
function feasibleCuts(lo: readonly number[], hi: readonly number[], required: readonly number[]): Cuts | null {
  const m = lo.length - 1;
  const fmin = [...lo];
  for (let k = 1; k <= m; k++) fmin[k] = Math.max(lo[k]!, fmin[k - 1]! + required[k]!);
  const bmax = [...hi];
  for (let k = m - 1; k >= 0; k--) bmax[k] = Math.min(hi[k]!, bmax[k + 1]! - required[k + 1]!);
  return fmin.every((f, k) => f <= bmax[k]!) ? { fmin, bmax, lossy: [] } : null;
}

/** [start, end) of each join's block: joins closer than the count lag, whose order a cut may not respect. */
function blocks(joins: readonly TimelineJoin[], lag: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= joins.length; i++) {
    if (i === joins.length || lag === 0 || joins[i]!.joinedAt - joins[i - 1]!.joinedAt > lag) {
      for (let j = start; j < i; j++) result.push([start, i]);
      start = i;
    }
  }
  return result;
}

/**
 * A cut through this block at its extreme: everything before the block, plus the
 * block's joins `inside` marks (a cut may split a block of the count lag any way).
 */
function cutBefore([bs, be]: readonly [number, number], inside: (i: number) => boolean): number {
  let count = 0;
  for (let j = bs; j < be; j++) if (inside(j)) count++;
  return bs + count;
}

/** How many sorted values are below `x`. */
function countBelow(sorted: readonly number[], x: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many sorted values are at most `x`. */
function countAtMost(sorted: readonly number[], x: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

