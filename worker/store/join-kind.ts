import { sql } from "drizzle-orm";

/**
 * The kind of an `invite_joins` row ('source', or why it has none) as the rollups
 * count it: join_kind() (schema/migrations/0010), the trigger's own definition,
 * told whether the row's code is one of the guild's vanity codes. `table` is the
 * row's alias in the query, when it has one.
 */
export function joinKind(table?: string) {
  const col = (name: string) => sql.raw(table ? `${table}.${name}` : `invite_joins.${name}`);
  return sql`join_kind(${col("source_id")}, ${col("method")}, ${col("reason")}, ${col("candidates")},
    exists (select 1 from guild_vanity_codes v where v.guild_id = ${col("guild_id")} and v.code = ${col("invite_code")}))`;
}
