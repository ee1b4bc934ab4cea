import { sql, type SQL } from "drizzle-orm";

/**
 * A query of one value when every code of `codes` (a text[] expression) is an
 * invite of the guild and all carry one and the same non-null `column`, and of no
 * row otherwise: the SQL side of worker/counted-uses/source-of.ts (their one source)
 * and of a join's one inviter (worker/inviters/counts.ts), for the outbox writer and a relabel.
 */
export function candidatesShare(guildId: string, codes: SQL, column: "source_id" | "inviter_id"): SQL {
  const value = sql.identifier(column);
  return sql`
    select min(${value}) as ${value} from invites
     where guild_id = ${guildId} and code = any(${codes})
    having count(distinct code) = (select count(distinct c) from unnest(${codes}) c) and count(distinct ${value}) = 1 and count(${value}) = count(*)`;
}
