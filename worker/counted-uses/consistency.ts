/**
 * Whether each day's joins agree with its counts (pure), for `/invite health`.
 * Joins recorded = counted uses + joins that surely moved no invite, up to the
 * joins an uncounted invite or a relay gap explains. Where they disagree beyond
 * that, a snapshot was missed or a code was never in the cache.
 */

export interface DayCounts {
  day: string;
  /** Joins recorded that day. */
  joins: number;
  /** Uses counted in intervals ending that day. */
  counted: number;
  /** Joins no invite count could own (no candidate at all). */
  noInvite: number;
  /** Joins an uncounted invite or a relay gap explains. */
  explained: number;
}

export interface Disagreement {
  day: string;
  /** Joins recorded minus counted uses and moved-no-invite joins: positive, joins the counts missed; negative, uses no join owns. */
  unexplained: number;
}

/**
 * The days whose joins and counts disagree beyond what is explained. A use counted
 * in an interval across midnight belongs to the next day (the windows rule), so a
 * day's surplus that the next day's shortfall cancels is not a disagreement.
 */
export function disagreements(days: readonly DayCounts[]): Disagreement[] {
  const diff = (d: DayCounts) => d.joins - d.counted - d.noInvite;
  const out: Disagreement[] = [];
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    if (Math.abs(diff(d)) <= d.explained) continue;
    const next = days[i + 1];
    if (next && Math.abs(diff(d) + diff(next)) <= d.explained + next.explained) {
      i++;
      continue;
    }
    out.push({ day: d.day, unexplained: diff(d) });
  }
  return out;
}
