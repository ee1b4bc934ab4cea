import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import { emptyUnattributed, UNATTRIBUTED_KINDS, type Unattributed, type UnattributedKind } from "../format/unattributed";
import { joinKind } from "./join-kind";
import { windowCounts } from "./window-counts";

const isKind = (kind: string): kind is UnattributedKind => (UNATTRIBUTED_KINDS as readonly string[]).includes(kind);

/** The joins with no source in [since, until), by cause, from the rollups; the vanity code from the latest vanity join (the index of source-less joins). */
export async function unattributedBreakdown(db: Queryable, guildId: string, since: Date, until?: Date): Promise<Unattributed> {
  const result = await db.execute<{ kind: string; joins: string; code: string | null }>(sql`
    with counts as (${windowCounts(guildId, since, until)})
    select kind, sum(joins)::bigint as joins,
           case when kind = 'vanity' then (
             select invite_code from invite_joins
              where guild_id = ${guildId} and source_id is null and ${joinKind()} = 'vanity'
                and joined_at >= ${since.toISOString()}::timestamptz ${until ? sql`and joined_at < ${until.toISOString()}::timestamptz` : sql``}
              order by joined_at desc limit 1) end as code
      from counts where source_id is null group by kind`);
  const breakdown = emptyUnattributed();
  for (const row of result.rows) {
    if (!isKind(row.kind)) continue;
    breakdown.counts[row.kind] = Number(row.joins);
    if (row.code) breakdown.vanityCode = row.code;
  }
  return breakdown;
}
