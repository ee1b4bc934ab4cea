import { sql, type SQL } from "drizzle-orm";

/**
 * A query of one row (source_id) when every code of `codes` (a text[] expression)
 * is an invite labelled with one and the same source, and of no row otherwise:
 * the SQL side of worker/counted-uses/source-of.ts, for the outbox writer and a relabel.
 */
export function candidatesSource(guildId: string, codes: SQL): SQL {
  return sql`
    select min(source_id) as source_id from invites
     where guild_id = ${guildId} and code = any(${codes})
    having count(distinct code) = (select count(distinct c) from unnest(${codes}) c) and count(distinct source_id) = 1 and count(source_id) = count(*)`;
}
