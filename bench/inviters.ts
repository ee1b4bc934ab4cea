// bench/inviters: invite counts on a guild with 1,000,000 joins through the invites of
// 50,000 inviters (skewed: a few inviters bring most joins; 10 % have left, 5 % are
// rejoins, 5 % unresolved), read through the Worker's own queries and the Neon driver.
// Prints {leaderboard_ms, counts_ms, export_rows_per_s} (p50 of the timed runs). leaderboard_ms reads a
// page of the stored ranking; leaderboard_refresh_ms is recomputing it (at most every 5 minutes).
import { createRequire } from "node:module";
import { neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";
import { openDb } from "../worker/db";
import { exportCsv, openExportDb } from "../worker/export/stream";
import { dropRankings, rankingPage } from "../worker/inviters/ranking";
import { inviterCounts, type CountScope } from "../worker/inviters/store";
import { percentile } from "./lib/percentile";

const JOINS = 1_000_000;
const INVITERS = 50_000;
const RUNS = 30;
const GUILD = "900000000000000011";

neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
const database = await startMigratedDatabase();
const client = new pg.Client({ connectionString: database.url });
await client.connect();
for (const table of ["invite_joins", "invites", "members", "leaderboard_snapshots", "leaderboard_ranks"]) await client.query(`delete from ${table} where guild_id = $1`, [GUILD]);
const seedStarted = Date.now();
await client.query(
  `insert into invites (code, guild_id, inviter_id)
   select 'bench' || i, $1, (200000000000000000 + i)::text from generate_series(1, $2::int) i`,
  [GUILD, INVITERS],
);
const CHUNK = 100_000;
for (let offset = 0; offset < JOINS; offset += CHUNK) {
  await client.query(
    `insert into invite_joins (guild_id, user_id, joined_at, invite_code, method, is_rejoin)
     select $1, (300000000000000000 + i * 4194304::bigint * 1000)::text, now() - random() * interval '365 days',
            case when i % 20 = 0 then null else 'bench' || (1 + floor(power(random(), 4) * $2::int))::int end,
            case when i % 20 = 0 then 'unresolved' else 'diff' end, i % 20 = 1
       from generate_series($3::int, $4::int) i`,
    [GUILD, INVITERS, offset + 1, Math.min(JOINS, offset + CHUNK)],
  );
}
await client.query(
  `insert into members (guild_id, user_id, joined_at, left_at)
   select guild_id, user_id, joined_at, case when id % 10 = 0 then joined_at + interval '1 day' end
     from invite_joins where guild_id = $1 on conflict do nothing`,
  [GUILD],
);
await client.query("vacuum analyze invite_joins");
await client.query("vacuum analyze invites");
await client.query("vacuum analyze members");
const seedSeconds = (Date.now() - seedStarted) / 1000;
await client.end();

const { db, close } = openDb({ DATABASE_URL: database.url, DATABASE_WS_PROXY: database.wsProxy });
const dbEnv = { DATABASE_URL: database.url, DATABASE_WS_PROXY: database.wsProxy };
const scope: CountScope = { guildId: GUILD, botUserId: "100000000000000001", policy: { fakeAccountAgeDays: 7, countAfterDays: 0 }, since: null, until: null, now: new Date() };
// Recomputing the stored ranking (at most every 5 minutes, or after a bonus), then reading pages of it.
const refreshStarted = performance.now();
await dropRankings(db, GUILD);
await rankingPage(db, dbEnv, scope, 0, 0, 10);
const refreshMs = performance.now() - refreshStarted;

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  await fn(0); // warm-up: JIT, Postgres caches
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn(i);
    timings.push(performance.now() - started);
  }
  return timings.sort((a, b) => a - b);
}

const board = await timed(RUNS, (i) => rankingPage(db, dbEnv, scope, 0, (i % 100) * 10, 10));
const counts = await timed(RUNS * 3, (i) => inviterCounts(db, scope, String(200000000000000000 + 1 + ((i * 7919) % INVITERS))));
const exportStarted = performance.now();
let rows = -1;
const exportDb = openExportDb({ DATABASE_URL: database.url, DATABASE_WS_PROXY: database.wsProxy });
const { stream, done } = exportCsv(exportDb.db, scope);
for await (const chunk of stream) for (const byte of chunk) if (byte === 10) rows++;
await done;
await exportDb.close();
const exportSeconds = (performance.now() - exportStarted) / 1000;
await close();
await database.stop();
console.log(
  JSON.stringify({
    bench: "inviters",
    joins: JOINS,
    inviters: INVITERS,
    leaderboard_ms: Number(percentile(board, 50).toFixed(1)),
    leaderboard_p95_ms: Number(percentile(board, 95).toFixed(1)),
    leaderboard_refresh_ms: Math.round(refreshMs),
    counts_ms: Number(percentile(counts, 50).toFixed(1)),
    counts_p95_ms: Number(percentile(counts, 95).toFixed(1)),
    export_rows_per_s: Math.round(rows / exportSeconds),
    export_rows: rows,
    seed_s: Number(seedSeconds.toFixed(1)),
  }),
);
