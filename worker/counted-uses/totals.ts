/**
 * A window's totals (pure): each source's joins are its codes' counted uses,
 * beside how many of them the diff named; the rest of the window's joins are
 * split by why they have no source. Every join is in exactly one row, so the rows
 * add up to the window's joins (or to its counted uses, when events were lost).
 */

export interface SourceUses {
  sourceId: number;
  /** Counted uses of the codes labelled with the source now. */
  uses: number;
  /** Joins in the window written with this source (named members). */
  named: number;
}

export interface WindowCounts {
  sources: SourceUses[];
  /** The vanity URL's counted uses. */
  vanityUses: number;
  /** Counted uses of invites labelled with no source. */
  unlabelledUses: number;
  /** Joins recorded in the window (every kind). */
  joins: number;
  /** Joins with no source that may have used an invite whose last uses were never counted. */
  uncountedCandidates: number;
  /** Joins with no source next to lost events (a relay gap). */
  gapJoins: number;
}

export interface SourceTotal {
  sourceId: number;
  joins: number;
  named: number;
}

export interface WindowTotals {
  sources: SourceTotal[];
  vanity: number;
  unlabelled: number;
  /** Uses that no snapshot could count, joins of invites deleted or expired in between. */
  uncounted: number;
  /** Window joins that raised no count: Server Discovery, OAuth adds, Student Hubs. */
  noInvite: number;
  gap: number;
}

/**
 * Sources from counted uses; "moved no invite" = the window's joins minus its
 * counted uses, less the joins a vanished invite or a relay gap explains. A named
 * join is its source's whatever the counts say, so a source never shows fewer joins than it named.
 */
export function windowTotals(counts: WindowCounts): WindowTotals {
  const sources = counts.sources
    .map((s) => ({ sourceId: s.sourceId, joins: Math.max(s.uses, s.named), named: s.named }))
    .filter((s) => s.joins > 0);
  const counted = sources.reduce((sum, s) => sum + s.joins, 0) + counts.vanityUses + counts.unlabelledUses;
  const gap = counts.gapJoins;
  const unexplained = Math.max(0, counts.joins - counted - gap);
  const uncounted = Math.min(counts.uncountedCandidates, unexplained);
  return { sources, vanity: counts.vanityUses, unlabelled: counts.unlabelledUses, uncounted, noInvite: unexplained - uncounted, gap };
}
