import { sql } from "drizzle-orm";
import type { Db, Queryable } from "../db";
import { deletionOrder } from "./deletion-order";

/** A large server's joins take longer to delete than a request's statement timeout. */
const PURGE_STATEMENT_TIMEOUT = "120s";

/**
 * Every table of the schema with a `guild_id` column, found in the catalog rather
 * than listed, so a table added later is purged too; in an order no foreign key objects to.
 */
export async function guildTables(db: Queryable): Promise<string[]> {
  const [tables, keys] = await Promise.all([
    db.execute<{ table_name: string }>(sql`
      select c.table_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = current_schema() and c.column_name = 'guild_id' and t.table_type = 'BASE TABLE'`),
    db.execute<{ child: string; parent: string }>(sql`
      select child.relname as child, parent.relname as parent from pg_constraint k
        join pg_class child on child.oid = k.conrelid join pg_class parent on parent.oid = k.confrelid
       where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`),
  ]);
  return deletionOrder(
    tables.rows.map((r) => r.table_name),
    keys.rows,
  );
}

/**
 * Deletes everything Postgres keeps about a server, in one transaction: its rows
 * in every table with a `guild_id`, and the join log's claims on its joins (keyed
 * by join). Returns the rows deleted per table.
 */
export async function purgeGuild(db: Db, guildId: string): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('statement_timeout', ${PURGE_STATEMENT_TIMEOUT}, true), set_config('invite_bot.keep_rollups', 'on', true)`);
    const deleted: Record<string, number> = {};
    const posts = await tx.execute(sql`delete from join_log_posts where join_id in (select id from invite_joins where guild_id = ${guildId})`);
    deleted.join_log_posts = posts.rowCount ?? 0;
    for (const table of await guildTables(tx)) {
      const result = await tx.execute(sql`delete from ${sql.identifier(table)} where guild_id = ${guildId}`);
      deleted[table] = result.rowCount ?? 0;
    }
    return deleted;
  });
}
