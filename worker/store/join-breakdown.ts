import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import { emptyUnattributed, type Unattributed, type UnattributedKind } from "../format/unattributed";

/** The joins with no source in [since, until), by cause (read from the partial index on source-less joins). */
export async function unattributedBreakdown(db: Queryable, guildId: string, since: Date, until?: Date): Promise<Unattributed> {
  const result = await db.execute<{ kind: UnattributedKind; code: string | null; joins: string }>(sql`
    select case when method = 'vanity' then 'vanity'
                when method <> 'unresolved' then 'unlabelled'
                when reason = 'missed' then 'gap'
                when coalesce(cardinality(candidates), 0) = 0 then 'no_invite'
                else 'ambiguous' end as kind,
           max(invite_code) filter (where method = 'vanity') as code,
           count(*)::bigint as joins
      from invite_joins
     where guild_id = ${guildId} and source_id is null
       and joined_at >= ${since.toISOString()}::timestamptz ${until ? sql`and joined_at < ${until.toISOString()}::timestamptz` : sql``}
     group by 1`);
  const breakdown = emptyUnattributed();
  for (const row of result.rows) {
    breakdown.counts[row.kind] = Number(row.joins);
    if (row.code) breakdown.vanityCode = row.code;
  }
  return breakdown;
}
