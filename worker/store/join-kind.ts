import { sql } from "drizzle-orm";

const COLUMNS = ["guild_id", "invite_code", "source_id", "method", "reason", "candidates"] as const;

/**
 * The kind of an `invite_joins` row ('source', or why it has none) as the rollups
 * count it: join_kind() (schema/migrations/0010), the trigger's own definition.
 * `table` is the row's alias in the query, when it has one.
 */
export const joinKind = (table?: string) => sql.raw(`join_kind(${COLUMNS.map((c) => (table ? `${table}.${c}` : c)).join(", ")})`);
