// Marked joins (worker/marks) in the diff's puzzle. A marked join surely moved one of
// its marked codes. When the invite list puts it in one interval and, of its marked
// codes, only one moved there (counted, not in doubt), that increment is its own: the
// join and the increment both leave the puzzle, which leaves its neighbours fewer
// candidates. Repeated while it takes more out. Every step removes a join with the one
// increment it used in every world, so what remains is judged as soundly as before.
import { solveJoint, type JointVerdicts } from "./joint";
import { AFTER, BEFORE, OTHER } from "./solve";
import type { AttributionOptions, Gap, Snapshot, TimelineJoin, Verdict } from "./types";

const MAX_ROUNDS = 3;

/** A marked join's judgement: its verdict (null while a fetch is awaited), and whether it asks for a fetch. */
export interface MarkedJudgement {
  verdict: Extract<Verdict, { kind: "role" }> | null;
  needsFetch: boolean;
}

export interface MarkedJoint extends JointVerdicts {
  /** Per join (in the order given): the judgement of a marked join; undefined for the others. */
  marked: Array<MarkedJudgement | undefined>;
}

const isMarked = (join: TimelineJoin) => (join.markCodes?.length ?? 0) > 0;

export function solveMarked(
  joins: readonly TimelineJoin[],
  snapshots: readonly Snapshot[],
  gaps: readonly Gap[],
  now: number,
  opts: Pick<AttributionOptions, "clockSkewMs" | "countLagMs" | "deliveryWaitMs">,
  wanted: (join: TimelineJoin) => boolean = () => true,
): MarkedJoint {
  if (!joins.some(isMarked)) return { ...solveJoint(joins, snapshots, gaps, now, opts, wanted), marked: joins.map(() => undefined) };
  const inviteIndex = snapshots.flatMap((s, index) => (s.series === "invites" ? [index] : []));
  const reduced = snapshots.map((s) => ({ ...s, increments: { ...s.increments } }));
  /** Join index -> the code whose increment was taken out with it. */
  const taken = new Map<number, string>();
  let kept = joins.map((_, i) => i);
  let solved = solveJoint(joins, reduced, gaps, now, opts, wanted, isMarked);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progress = false;
    kept.forEach((i, k) => {
      const codes = joins[i]!.markCodes;
      const at = solved.intervals[k]!;
      if (!codes?.length || at.length !== 1 || solved.inGap[k]) return;
      const snapshot = reduced[inviteIndex[at[0]!]!];
      // Interval 0 is before the first snapshot, and past the last there is none.
      if (!snapshot || at[0] === 0) return;
      const moved = codes.filter((c) => (snapshot.increments[c] ?? 0) > 0 || snapshot.uncertain.includes(c));
      const code = moved.length === 1 ? moved[0]! : null;
      if (code === null || snapshot.uncertain.includes(code)) return;
      snapshot.increments[code]! -= 1;
      if (snapshot.increments[code] === 0) delete snapshot.increments[code];
      taken.set(i, code);
      progress = true;
    });
    if (!progress) break;
    kept = joins.map((_, i) => i).filter((i) => !taken.has(i));
    solved = solveJoint(
      kept.map((i) => joins[i]!),
      reduced,
      gaps,
      now,
      opts,
      wanted,
      isMarked,
    );
  }
  const position = new Map(kept.map((i, k) => [i, k]));
  return { ...spread(solved, kept, joins.length), marked: joins.map((join, i) => judgeMarked(join, taken.get(i), solved, position.get(i) ?? -1)) };
}

/** The reduced puzzle's answers, back on every join's index (taken-out joins moved nothing left in it). */
function spread(solved: JointVerdicts, kept: readonly number[], count: number): JointVerdicts {
  const labels = new Map(
    [...solved.labels].map(([series, perJoin]) => {
      const all: Array<ReadonlySet<string>> = Array.from({ length: count }, () => new Set([OTHER]));
      kept.forEach((i, k) => (all[i] = perJoin[k]!));
      return [series, all] as const;
    }),
  );
  const inGap = Array<boolean>(count).fill(false);
  // A join taken out with its increment has its verdict: nothing is left to settle.
  const settled = Array<boolean>(count).fill(true);
  const intervals = Array.from({ length: count }, (): number[] => []);
  kept.forEach((i, k) => {
    inGap[i] = solved.inGap[k]!;
    settled[i] = solved.settled[k]!;
    intervals[i] = solved.intervals[k]!;
  });
  return { ...solved, labels, inGap, settled, intervals, groups: solved.groups.map((g) => ({ ...g, members: g.members.map((k) => kept[k]!) })) };
}

/**
 * A marked join's verdict: its marked codes, narrowed to those the invite list says
 * it may have moved. Narrowing needs the counts to speak for it (a snapshot after it,
 * no lost session around it); an empty narrowing means the counts missed something,
 * and the mark still holds.
 */
function judgeMarked(join: TimelineJoin, takenCode: string | undefined, solved: JointVerdicts, k: number): MarkedJudgement | undefined {
  const codes = join.markCodes;
  if (!codes?.length) return undefined;
  if (takenCode !== undefined) return { verdict: { kind: "role", code: takenCode, candidates: [takenCode] }, needsFetch: false };
  const labels = k < 0 ? new Set<string>() : solved.labels.get("invites")![k]!;
  const needsFetch = labels.has(AFTER);
  const narrowable = !needsFetch && !labels.has(BEFORE) && !solved.inGap[k];
  const narrowed = narrowable ? codes.filter((c) => labels.has(c)) : [];
  const candidates = [...(narrowed.length > 0 ? narrowed : codes)].sort();
  // Several marked codes and no snapshot after the join yet: the fetch it asks for may narrow them.
  if (needsFetch && candidates.length > 1) return { verdict: null, needsFetch };
  return { verdict: { kind: "role", code: candidates.length === 1 ? candidates[0]! : null, candidates }, needsFetch };
}
