import { createRequire } from "node:module";
import v8 from "node:v8";
import vm from "node:vm";
import { neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exportCsv, openExportDb } from "../../worker/export/stream";

// Node 20 has no global WebSocket; the Worker's database module uses the Neon driver over one.
neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");

const ROWS = 1_000_000;
// What the export keeps, not the garbage a lazy collector has yet to free: sampled after a full GC.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const GC_EVERY = 25;
const MB = 1024 * 1024;
// Writing, exporting or deleting a million rows: 20 to 40 s each on an idle 2-core machine, over 100 s at load 20.
const MILLION_ROWS_MS = 300_000;

describe("the CSV export's memory", () => {
  const guild = `8${Date.now()}`;
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(async () => {
    await client.connect();
    await client.query(
      `insert into invite_joins (guild_id, user_id, joined_at, method, candidates)
       select $1, (300000000000000000 + n)::text, now() - make_interval(secs => n), 'unresolved', array['abcdefgh', 'ijklmnop']
         from generate_series(1, $2::int) n`,
      [guild, ROWS],
    );
  }, MILLION_ROWS_MS);
  afterAll(async () => {
    await client.query("delete from invite_joins where guild_id = $1", [guild]);
    await client.end();
  }, MILLION_ROWS_MS);

  it(`streams ${ROWS.toLocaleString("en")} rows through a cursor in bounded memory`, async () => {
    // The connection production gives an export: its first FETCH sorts a million rows, which takes seconds on a loaded machine.
    const { db, close } = openExportDb({ DATABASE_URL: inject("databaseUrl"), DATABASE_WS_PROXY: inject("wsProxy") });
    try {
      gc();
      const base = process.memoryUsage().heapUsed;
      let chunks = 0;
      let peak = 0;
      let bytes = 0;
      let lines = 0;
      const started = performance.now();
      const { stream, done } = exportCsv(db, { guildId: guild, botUserId: "100000000000000001", policy: { fakeAccountAgeDays: 7, countAfterDays: 0 }, since: null, until: null, now: new Date() });
      for await (const chunk of stream) {
        bytes += chunk.byteLength;
        for (const byte of chunk) if (byte === 10) lines++;
        if (++chunks % GC_EVERY === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
      }
      await done;
      const seconds = (performance.now() - started) / 1000;
      console.log(JSON.stringify({ rows: ROWS, csv_mb: +(bytes / MB).toFixed(1), peak_heap_growth_mb: +(peak / MB).toFixed(1), rows_per_s: Math.round(ROWS / seconds) }));
      expect(lines).toBe(ROWS + 1);
      // The CSV is far larger than what the export may hold at once.
      expect(bytes).toBeGreaterThan(55 * MB);
      expect(peak).toBeLessThan(16 * MB);
    } finally {
      await close();
    }
  }, MILLION_ROWS_MS);
});
