// The series judged together. Each series alone allows a join to be "not mine"
// whenever its counts leave room; but a join that one series proves is its own
// (an invite join, whatever the code) is no other series' join, so it is taken out
// of the others, which then leave less room. Repeated until nothing changes. Every
// step only removes worlds the evidence rules out, so the result stays sound.
import { AFTER, BEFORE, OTHER, solveSeries, type SeriesVerdicts } from "./solve";
import type { AttributionOptions, Gap, Series, Snapshot, TimelineJoin } from "./types";

export interface JointVerdicts {
  series: Series[];
  /** Per series, per join (in the order given): its labels. */
  labels: Map<Series, Array<ReadonlySet<string>>>;
  /** The invite list's pinned groups, as indices into the joins given. */
  groups: Array<{ members: number[]; candidates: string[] }>;
  nextClosureAt: number | null;
  consistent: boolean;
  /** Per join (in the order given): some series puts it where a lost session may have fed the counts. */
  inGap: boolean[];
  /** Per join (in the order given): every series that kept it has it settled (solve.ts): the counts can no longer name its code. */
  settled: boolean[];
  /** Per join (in the order given) asked to be located: the invite list's intervals it may sit in. */
  intervals: number[][];
}

const MAX_ROUNDS = 4;
const ONLY_OTHER = () => new Set([OTHER]);

/** Certainly this series' join: it has no world where it moved nothing here. */
const certain = (labels: ReadonlySet<string>) => !labels.has(OTHER) && !labels.has(BEFORE) && !labels.has(AFTER);

export function solveJoint(
  joins: readonly TimelineJoin[],
  snapshots: readonly Snapshot[],
  gaps: readonly Gap[],
  now: number,
  opts: Pick<AttributionOptions, "clockSkewMs" | "countLagMs" | "deliveryWaitMs">,
  wanted: (join: TimelineJoin) => boolean = () => true,
  located: (join: TimelineJoin) => boolean = () => false,
): JointVerdicts {
  const series: Series[] = snapshots.some((s) => s.series === "vanity") ? ["invites", "vanity"] : ["invites"];
  const observedOffsetMs = joins.length > 0 ? Math.max(...joins.map((j) => j.joinedAt - j.receivedAt)) : undefined;
  const options = observedOffsetMs === undefined ? opts : { ...opts, observedOffsetMs };
  const ofSeries = new Map(series.map((s) => [s, snapshots.filter((snap) => snap.series === s)]));
  // claimed.get(s): joins another series proved its own, left out of s. A join known to have
  // moved nothing is no series' own: it is left out of all, so their increments go to the others.
  const movedNothing = joins.flatMap((j, i) => (j.movedNothing ? [i] : []));
  const claimed = new Map(series.map((s) => [s, new Set<number>(movedNothing)]));
  const labels = new Map<Series, Array<ReadonlySet<string>>>();
  const solved = new Map<Series, { result: SeriesVerdicts; kept: number[] }>();

  // A series is solved again only when another one claimed more of its joins.
  const dirty = new Set(series);
  for (let round = 0; round < MAX_ROUNDS && dirty.size > 0; round++) {
    for (const s of series) {
      if (!dirty.delete(s)) continue;
      const kept = joins.map((_, i) => i).filter((i) => !claimed.get(s)!.has(i));
      const result = solveSeries(
        kept.map((i) => joins[i]!),
        ofSeries.get(s)!,
        gaps,
        now,
        options,
        (k) => wanted(joins[kept[k]!]!),
        (k) => located(joins[kept[k]!]!),
      );
      solved.set(s, { result, kept });
      const perJoin: Array<ReadonlySet<string>> = joins.map(ONLY_OTHER);
      kept.forEach((i, k) => (perJoin[i] = result.labels[k]!));
      labels.set(s, perJoin);
      for (const other of series) {
        if (other === s) continue;
        perJoin.forEach((l, i) => {
          if (certain(l) && !claimed.get(other)!.has(i)) {
            claimed.get(other)!.add(i);
            dirty.add(other);
          }
        });
      }
    }
  }

  const invites = solved.get("invites")!;
  const results = [...solved.values()].map((v) => v.result);
  const closures = results.map((r) => r.nextClosureAt).filter((t): t is number => t !== null);
  return {
    series,
    labels,
    groups: invites.result.groups.map((g) => ({ members: invites.kept.slice(g.from, g.to), candidates: g.candidates })),
    nextClosureAt: closures.length > 0 ? Math.min(...closures) : null,
    consistent: results.every((r) => r.consistent),
    inGap: inGapOf(joins.length, [...solved.values()]),
    settled: settledOf(joins.length, [...solved.values()]),
    intervals: intervalsOf(joins, invites, located),
  };
}

/** A join is in a gap when any series that kept it says so (series index their kept joins, not all). */
function inGapOf(count: number, solved: ReadonlyArray<{ result: SeriesVerdicts; kept: number[] }>): boolean[] {
  const inGap = Array<boolean>(count).fill(false);
  for (const { result, kept } of solved) kept.forEach((i, k) => (inGap[i] ||= result.inGap[k]!));
  return inGap;
}

/** A join another series claimed has nothing left to learn from this one: only the series that kept it speak. */
function settledOf(count: number, solved: ReadonlyArray<{ result: SeriesVerdicts; kept: number[] }>): boolean[] {
  const settled = Array<boolean>(count).fill(true);
  for (const { result, kept } of solved) kept.forEach((i, k) => (settled[i] &&= result.settled[k]!));
  return settled;
}

/** The invite list's intervals of the joins asked to be located (a join another series claimed sits in none of them). */
function intervalsOf(joins: readonly TimelineJoin[], invites: { result: SeriesVerdicts; kept: number[] }, located: (join: TimelineJoin) => boolean): number[][] {
  const intervals = joins.map((): number[] => []);
  invites.kept.forEach((i, k) => {
    if (located(joins[i]!)) intervals[i] = invites.result.intervals[k]!;
  });
  return intervals;
}
