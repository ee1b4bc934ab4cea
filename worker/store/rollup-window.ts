/**
 * Where a window's join counts come from (pure): whole UTC days from
 * join_daily_counts, the whole hours of its partial days from join_hourly_counts,
 * and only its partial hours at either end from raw joins. However long the
 * guild's history, no report counts more than two hours of raw joins.
 */

export type Segment = { grain: "raw" | "hour"; from: number; to: number } | { grain: "day"; from: number; to: number | null };

const HOUR = 3_600_000;
const DAY = 86_400_000;
const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/** The pieces of [since, until) (`until` null: no end), in time order; empty pieces are left out. */
export function rollupSegments(since: number, until: number | null): Segment[] {
  if (until !== null && until <= since) return [];
  const firstHour = ceilTo(since, HOUR);
  if (until !== null && floorTo(until, HOUR) <= firstHour) return [{ grain: "raw", from: since, to: until }];
  const segments: Segment[] = [];
  const bounded = (grain: "raw" | "hour", from: number, to: number) => {
    if (to > from) segments.push({ grain, from, to });
  };
  const lastHour = until === null ? null : floorTo(until, HOUR);
  bounded("raw", since, firstHour);
  const firstDay = ceilTo(firstHour, DAY);
  const lastDay = lastHour === null ? null : floorTo(lastHour, DAY);
  if (lastHour !== null && lastDay! <= firstDay) {
    bounded("hour", firstHour, lastHour);
  } else {
    bounded("hour", firstHour, firstDay);
    if (lastDay === null || lastDay > firstDay) segments.push({ grain: "day", from: firstDay, to: lastDay });
    if (lastHour !== null) bounded("hour", lastDay!, lastHour);
  }
  if (until !== null) bounded("raw", lastHour!, until);
  return segments;
}
