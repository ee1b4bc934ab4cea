import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PERSONAL_NAMES, USER_COLUMNS } from "../../worker/privacy/user-data";

/** Columns that name a Discord user (an id, or who did something). */
const USER_ID = /(^|_)(user|inviter|invited|member|author|owner|actor)_id$|_by$/;
/** Columns that may hold something personal: a name, an avatar, an address. */
const PERSONAL = /(^|_)(name|username|nick|nickname|avatar|address|email|ip)(_|$)/;

const client = new pg.Client({ connectionString: inject("databaseUrl") });
let columns: string[] = [];

beforeAll(async () => {
  await client.connect();
  const result = await client.query<{ table_name: string; column_name: string }>(`
    select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name not like '__drizzle%'`);
  columns = result.rows.map((r) => `${r.table_name}.${r.column_name}`);
});
afterAll(() => client.end());

describe("PRIVACY.md matches what the code keeps", () => {
  const doc = readFileSync("PRIVACY.md", "utf8");
  const column = (name: string) => name.split(".")[1]!;

  it("names every column holding a user id or something personal", () => {
    const held = columns.filter((c) => USER_ID.test(column(c)) || PERSONAL.test(column(c)));
    expect(held.length).toBeGreaterThan(10);
    expect(held.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });

  it("/invite forget and the privacy CLI reach every column holding a user id, and every name", () => {
    const reached = new Set<string>([...USER_COLUMNS.map((c) => `${c.table}.${c.column}`), ...PERSONAL_NAMES.map((n) => `${n.table}.${n.user}`)]);
    expect(columns.filter((c) => USER_ID.test(column(c)) && !reached.has(c))).toEqual([]);
    // The lists name real columns.
    const listed = [...USER_COLUMNS.map((c) => `${c.table}.${c.column}`), ...PERSONAL_NAMES.map((n) => `${n.table}.${n.column}`)];
    expect(listed.filter((c) => !columns.includes(c))).toEqual([]);
  });

  it("each name kept beside a user id is in PERSONAL_NAMES (dropped on forget and after the retention period)", () => {
    const names = columns.filter((c) => /(^|_)(name|username|nick|nickname|avatar)$/.test(column(c)) && !c.startsWith("invite_sources.") && !c.startsWith("seasons."));
    expect(names.filter((c) => !PERSONAL_NAMES.some((n) => `${n.table}.${n.column}` === c))).toEqual([]);
  });
});
