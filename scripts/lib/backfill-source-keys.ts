import type pg from "pg";
import { sourceNameKey } from "../../worker/sources/names";

/**
 * Gives every invite source without a `name_key` its key (migration 0004 adds
 * the column, but the rule is JavaScript, so SQL cannot compute it). Oldest
 * first: when two legacy names now fold to one key ("ΟΔΟΣ" and "οδος" were two
 * sources under the old rule), or a name folds to nothing, the later one is
 * renamed "<name> #<id>" so both histories stay and both stay reachable.
 * Idempotent; runs after every migration, in the runner's lock.
 */
export async function backfillSourceNameKeys(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ id: number; guild_id: string; name: string }>(
    "select id, guild_id, name from invite_sources where name_key is null order by id",
  );
  if (rows.length === 0) return 0;
  const taken = await client.query<{ guild_id: string; name_key: string }>(
    "select guild_id, name_key from invite_sources where name_key is not null and guild_id = any($1)",
    [[...new Set(rows.map((r) => r.guild_id))]],
  );
  const used = new Set(taken.rows.map((r) => `${r.guild_id}\u0000${r.name_key}`));
  await client.query("begin");
  try {
    for (const row of rows) {
      let name = row.name;
      let key = sourceNameKey(name);
      if (key === "" || used.has(`${row.guild_id}\u0000${key}`)) {
        name = `${row.name} #${row.id}`;
        key = sourceNameKey(name);
      }
      used.add(`${row.guild_id}\u0000${key}`);
      await client.query("update invite_sources set name = $2, name_key = $3 where id = $1", [row.id, name, key]);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
  return rows.length;
}
