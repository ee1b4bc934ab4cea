import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { backfillSourceNameKeys } from "../../scripts/lib/backfill-source-keys";
import { sourceNameKey } from "../../worker/sources/names";

describe("backfilling name_key for sources written before it existed", () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  const guild = `9${Date.now()}`;
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("keys every legacy row; a later name that now folds onto an earlier one is renamed, not merged or lost", async () => {
    // Legacy rows, as the old lower(name) rule let them in: two spellings of one Greek word, and an invisible-only name.
    const legacy = ["ΟΔΟΣ", "Reddit", "οδος", "\u200b"];
    const { rows } = await client.query<{ id: number }>(
      "insert into invite_sources (guild_id, name) select $1, unnest($2::text[]) returning id",
      [guild, legacy],
    );
    const ids = rows.map((r) => r.id);

    await backfillSourceNameKeys(client);
    const after = await client.query<{ id: number; name: string; name_key: string }>(
      "select id, name, name_key from invite_sources where guild_id = $1 order by id",
      [guild],
    );
    expect(after.rows.map((r) => r.name)).toEqual(["ΟΔΟΣ", "Reddit", `οδος #${ids[2]}`, `\u200b #${ids[3]}`]);
    for (const row of after.rows) expect(row.name_key).toBe(sourceNameKey(row.name));

    // Idempotent: a second run leaves these rows as they are.
    await backfillSourceNameKeys(client);
    const again = await client.query("select id, name, name_key from invite_sources where guild_id = $1 order by id", [guild]);
    expect(again.rows).toEqual(after.rows);
  });
});
