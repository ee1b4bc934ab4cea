import { sql, type SQL } from "drizzle-orm";
import { joinKind } from "./join-kind";
import { rollupSegments, type Segment } from "./rollup-window";

const iso = (ms: number) => new Date(ms).toISOString();

function segmentCounts(guildId: string, s: Segment): SQL {
  switch (s.grain) {
    case "raw":
      return sql`select source_id, ${joinKind()} as kind, count(*)::bigint as joins from invite_joins
        where guild_id = ${guildId} and joined_at >= ${iso(s.from)}::timestamptz and joined_at < ${iso(s.to)}::timestamptz group by 1, 2`;
    case "hour":
      return sql`select source_id, kind, sum(joins)::bigint as joins from join_hourly_counts
        where guild_id = ${guildId} and hour >= ${iso(s.from)}::timestamptz and hour < ${iso(s.to)}::timestamptz group by 1, 2`;
    case "day":
      return sql`select source_id, kind, sum(joins)::bigint as joins from join_daily_counts
        where guild_id = ${guildId} and day >= ${iso(s.from).slice(0, 10)}::date ${s.to === null ? sql`` : sql`and day < ${iso(s.to).slice(0, 10)}::date`} group by 1, 2`;
  }
}

/** One query per piece of [since, until) (see rollup-window.ts), as one union; `empty` when the window is. */
export function segmentedWindow(since: Date, until: Date | undefined, piece: (s: Segment) => SQL, empty: SQL): SQL {
  const segments = rollupSegments(since.getTime(), until?.getTime() ?? null);
  if (segments.length === 0) return empty;
  return sql.join(segments.map(piece), sql` union all `);
}

/**
 * Rows (source_id, kind, joins) counting the guild's joins in [since, until) (no
 * end when `until` is left out), from the rollups and at most two partial hours
 * of raw joins: a subquery for the reports' CTEs, one round trip whatever the history.
 */
export function windowCounts(guildId: string, since: Date, until?: Date): SQL {
  return segmentedWindow(since, until, (s) => segmentCounts(guildId, s), sql`select null::integer as source_id, null::text as kind, 0::bigint as joins where false`);
}
