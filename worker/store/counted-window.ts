import { sql, type SQL } from "drizzle-orm";
import type { Segment } from "./rollup-window";
import { segmentedWindow } from "./window-counts";

const iso = (ms: number) => new Date(ms).toISOString();

function segmentUses(guildId: string, s: Segment): SQL {
  switch (s.grain) {
    case "raw":
      return sql`select code, how, sum(coalesce(uses, 0))::bigint as uses, count(*) filter (where uses is null)::bigint as uncounted from counted_uses
        where guild_id = ${guildId} and counted_at >= ${iso(s.from)}::timestamptz and counted_at < ${iso(s.to)}::timestamptz group by 1, 2`;
    case "hour":
      return sql`select code, how, sum(uses)::bigint as uses, sum(uncounted)::bigint as uncounted from counted_use_hourly_counts
        where guild_id = ${guildId} and hour >= ${iso(s.from)}::timestamptz and hour < ${iso(s.to)}::timestamptz group by 1, 2`;
    case "day":
      return sql`select code, how, sum(uses)::bigint as uses, sum(uncounted)::bigint as uncounted from counted_use_daily_counts
        where guild_id = ${guildId} and day >= ${iso(s.from).slice(0, 10)}::date ${s.to === null ? sql`` : sql`and day < ${iso(s.to).slice(0, 10)}::date`} group by 1, 2`;
  }
}

/**
 * Rows (code, how, uses, uncounted) of the guild's ledger in [since, until): a use
 * belongs to the window its interval ends in (counted_at). From the ledger's
 * rollups and at most two partial hours of raw rows, like the joins' windowCounts.
 */
export function countedWindow(guildId: string, since: Date, until?: Date): SQL {
  return segmentedWindow(
    since,
    until,
    (s) => segmentUses(guildId, s),
    sql`select null::text as code, null::text as how, 0::bigint as uses, 0::bigint as uncounted where false`,
  );
}
