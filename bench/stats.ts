// bench/stats: /invite stats days:30 end to end through the Worker's interactions handler
// (signature check, routing, Postgres through the Neon driver) on a guild with 1,000,000
// joins over 90 days across 200 sources, then the same guild grown to BENCH_JOINS
// (default 10,000,000) over the same 90 days, with the ledger of counted uses seeded to
// match (one counted use per join, on an invite of its source). Prints p50/p95 at both
// sizes: a report that is flat in history costs the same at both.
import { createPrivateKey, sign } from "node:crypto";
import { createRequire } from "node:module";
import { neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { generateInteractionKeys } from "../scripts/lib/interactions";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";
import { percentile } from "./lib/percentile";

const SMALL = 1_000_000;
const LARGE = Number(process.env.BENCH_JOINS ?? 10_000_000);
if (!Number.isInteger(LARGE) || LARGE < SMALL) throw new Error(`BENCH_JOINS must be an integer of at least ${SMALL}`);
const SOURCES = 200;
const RUNS = 200;
const GUILD = "900000000000000001";
const SPAN_DAYS = 90;
const benchStarted = Date.now();

neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
const database = await startMigratedDatabase();
const client = new pg.Client({ connectionString: database.url });
await client.connect();
await client.query("delete from invite_joins where guild_id = $1", [GUILD]);
await client.query("delete from counted_uses where guild_id = $1", [GUILD]);
await client.query("delete from invites where guild_id = $1", [GUILD]);
await client.query("delete from invite_sources where guild_id = $1", [GUILD]);
const { rows } = await client.query<{ id: number }>(
  "insert into invite_sources (guild_id, name) select $1, 'Source ' || i from generate_series(1, $2::int) i returning id",
  [GUILD, SOURCES],
);
const firstSource = Math.min(...rows.map((r) => r.id));
// One invite per source, whose counted uses are the source's joins.
await client.query("insert into invites (code, guild_id, source_id, uses) select 'bench' || id, $1, id, 0 from invite_sources where guild_id = $1", [GUILD]);
const now = Date.now();

/**
 * Adds joins `from`..`to` (1-based) and their ledger rows as a bulk load: both
 * tables' secondary indexes and unique constraints are dropped and rebuilt after
 * (sorted builds, not 10M random inserts), triggers are off for the session (no per-statement rollup
 * upserts, no foreign-key checks), and the rollups are built once after the rows
 * by the migration's own rebuild_join_rollups(). Returns the seconds it took.
 */
async function bulkLoad(from: number, to: number): Promise<number> {
  const started = Date.now();
  await client.query("set maintenance_work_mem = '512MB'");
  const restore = [await dropIndexes("invite_joins"), await dropIndexes("counted_uses")];
  await client.query("set session_replication_role = replica");
  const CHUNK = 500_000;
  for (let first = from; first <= to; first += CHUNK) {
    // Joins spread evenly over the span (so in time order, as a live table fills), skewed
    // popularity (a few sources bring most joins) and one join in 20 unresolved.
    await client.query(
      `insert into invite_joins (guild_id, user_id, joined_at, source_id, method, candidates)
       select $1, (100000000000000000 + i)::text,
              to_timestamp($6::double precision / 1000) - make_interval(secs => $7::double precision * (1 - (i - $4::double precision) / ($8::double precision)) + random()),
              case when i % 20 = 0 then null else $2::int + floor(power(random(), 3) * $3::int)::int end,
              case when i % 20 = 0 then 'unresolved' else 'diff' end,
              case when i % 20 = 0 then array['a', 'b'] end
         from generate_series($4::int, $5::int) i`,
      [GUILD, firstSource, SOURCES, first, Math.min(to, first + CHUNK - 1), now, SPAN_DAYS * 86_400, to - from + 1],
    );
  }
  // The ledger beside them: each join's use, counted in the interval that ends a second
  // after it (an unresolved join's on some source's invite); one row per code and instant, as its unique key wants.
  await client.query(
    `insert into counted_uses (guild_id, code, uses, how, counted_from, counted_at)
     select distinct on (code, counted_at) guild_id, code, 1, 'snapshot', counted_at - interval '3 s', counted_at
       from (select guild_id, 'bench' || coalesce(source_id, $2::int + (user_id::bigint % $3::int)::int) as code, joined_at + interval '1 s' as counted_at
               from invite_joins where guild_id = $1 and user_id::bigint - 100000000000000000 between $4::bigint and $5::bigint) uses
      where not exists (select 1 from counted_uses c where c.guild_id = uses.guild_id and c.code = uses.code and c.counted_at = uses.counted_at)`,
    [GUILD, firstSource, SOURCES, from, to],
  );
  await client.query("set session_replication_role = origin");
  for (const rebuild of restore) await rebuild();
  await client.query("select rebuild_join_rollups($1)", [GUILD]);
  await client.query("select rebuild_counted_use_rollups($1)", [GUILD]);
  // As autovacuum leaves a table in steady state: statistics and the visibility map.
  for (const table of ["invite_joins", "join_hourly_counts", "join_daily_counts", "counted_uses", "counted_use_hourly_counts", "counted_use_daily_counts"]) {
    await client.query(`vacuum analyze ${table}`);
  }
  return (Date.now() - started) / 1000;
}

/**
 * Drops a table's unique constraints and secondary indexes for a bulk load; returns
 * what rebuilds them after (one sorted build each, not millions of random inserts).
 */
async function dropIndexes(table: string): Promise<() => Promise<void>> {
  const constraints = await client.query<{ name: string; def: string }>(
    "select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and contype = 'u'",
    [table],
  );
  const indexes = await client.query<{ name: string; def: string }>(
    "select indexname as name, indexdef as def from pg_indexes where tablename = $1 and indexname not in (select conname from pg_constraint where conrelid = $1::regclass)",
    [table],
  );
  for (const c of constraints.rows) await client.query(`alter table ${table} drop constraint ${c.name}`);
  for (const i of indexes.rows) await client.query(`drop index ${i.name}`);
  return async () => {
    for (const c of constraints.rows) await client.query(`alter table ${table} add constraint ${c.name} ${c.def}`);
    for (const i of indexes.rows) await client.query(i.def);
  };
}

const keys = generateInteractionKeys();
const privateKey = createPrivateKey(keys.privateKeyPem);
const env = {
  DATABASE_URL: database.url,
  DATABASE_WS_PROXY: database.wsProxy,
  DISCORD_API_BASE: "http://127.0.0.1:9/api/v10",
  DISCORD_PUBLIC_KEY: keys.publicKeyHex,
  DISCORD_APPLICATION_ID: "100000000000000001",
  DISCORD_BOT_TOKEN: "bench",
  RELAY_SECRET: "bench",
  PUBLIC_URL: "http://localhost",
};
// The Worker's interactions route (the entry also exports the Durable Object, which
// only loads in workerd), by path: it is typed by the Workers tsconfig, this bench by Node's.
const routeModule = "../worker/routes/interactions";
const { interactionRoutes: worker } = (await import(routeModule)) as {
  interactionRoutes: { fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> };
};
const pending: Promise<unknown>[] = [];
const exec = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {}, props: {} };

async function statsOnce(i: number): Promise<number> {
  const body = JSON.stringify({
    id: String(i),
    type: 2,
    token: `bench-${i}`,
    application_id: env.DISCORD_APPLICATION_ID,
    guild_id: GUILD,
    channel_id: "900000000000000002",
    member: { user: { id: "900000000000000003" }, permissions: "32" },
    data: { name: "invite", options: [{ name: "stats", type: 1, options: [{ name: "days", type: 4, value: 30 }] }] },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  const started = performance.now();
  const response = await worker.fetch(
    new Request("http://bench/", {
      method: "POST",
      headers: { "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp },
      body,
    }),
    env,
    exec,
  );
  const reply = (await response.json()) as { data?: { embeds?: Array<{ title?: string }> } };
  const elapsed = performance.now() - started;
  if (!reply.data?.embeds?.[0]?.title?.startsWith("Joins in the last 30 days")) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  return elapsed;
}

/** p50 and p95 of RUNS calls, after a warm-up (module init, JIT, Postgres caches). */
async function measure(offset: number) {
  for (let i = 0; i < 10; i++) await statsOnce(offset + i);
  const timings: number[] = [];
  for (let i = 0; i < RUNS; i++) timings.push(await statsOnce(offset + 100 + i));
  timings.sort((a, b) => a - b);
  return { p50: Number(percentile(timings, 50).toFixed(2)), p95: Number(percentile(timings, 95).toFixed(2)) };
}

const seedSmall = await bulkLoad(1, SMALL);
const small = await measure(0);
const seedLarge = await bulkLoad(SMALL + 1, LARGE);
const large = await measure(10_000);
const ledgerRows = Number((await client.query<{ n: string }>("select count(*) as n from counted_uses where guild_id = $1", [GUILD])).rows[0]!.n);
await Promise.allSettled(pending);
await client.end();
await database.stop();
console.log(
  JSON.stringify({
    bench: "stats",
    joins_small: SMALL,
    joins_large: LARGE,
    sources: SOURCES,
    runs: RUNS,
    p50_ms_1m: small.p50,
    p95_ms_1m: small.p95,
    p50_ms_10m: large.p50,
    p95_ms_10m: large.p95,
    ratio_p95: Number((large.p95 / small.p95).toFixed(2)),
    seed_s_1m: Number(seedSmall.toFixed(1)),
    seed_s_10m: Number(seedLarge.toFixed(1)),
    ledger_rows: ledgerRows,
    total_s: Math.round((Date.now() - benchStarted) / 1000),
  }),
);
