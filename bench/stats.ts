// bench/stats: /invite stats days:30 end to end through the Worker's interactions handler
// (signature check, routing, Postgres through the Neon driver) on a guild with
// 1,000,000 joins over 90 days across 200 sources. Prints {p50_ms, p95_ms}.
import { createPrivateKey, sign } from "node:crypto";
import { createRequire } from "node:module";
import { neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { generateInteractionKeys } from "../scripts/lib/interactions";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";
import { percentile } from "./lib/percentile";

const JOINS = 1_000_000;
const SOURCES = 200;
const RUNS = 200;
const GUILD = "900000000000000001";

neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
const database = await startMigratedDatabase();
const client = new pg.Client({ connectionString: database.url });
await client.connect();
await client.query("delete from invite_joins where guild_id = $1", [GUILD]);
await client.query("delete from invite_sources where guild_id = $1", [GUILD]);
const { rows } = await client.query<{ id: number }>(
  "insert into invite_sources (guild_id, name) select $1, 'Source ' || i from generate_series(1, $2::int) i returning id",
  [GUILD, SOURCES],
);
const firstSource = Math.min(...rows.map((r) => r.id));
const seedStarted = Date.now();
const CHUNK = 100_000;
for (let offset = 0; offset < JOINS; offset += CHUNK) {
  // Skewed popularity (a few sources bring most joins) and one join in 20 unresolved.
  await client.query(
    `insert into invite_joins (guild_id, user_id, joined_at, source_id, method, invite_code)
     select $1, (100000000000000000 + i)::text, now() - random() * interval '90 days',
            case when i % 20 = 0 then null else $2::int + floor(power(random(), 3) * $3::int)::int end,
            case when i % 20 = 0 then 'unresolved' else 'diff' end, null
       from generate_series($4::int, $5::int) i`,
    [GUILD, firstSource, SOURCES, offset + 1, Math.min(JOINS, offset + CHUNK)],
  );
}
// As autovacuum leaves a table in steady state: statistics and the visibility map (index-only scans).
await client.query("vacuum analyze invite_joins");
await client.query("vacuum analyze join_daily_counts");
const seedSeconds = (Date.now() - seedStarted) / 1000;
await client.end();

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

for (let i = 0; i < 10; i++) await statsOnce(i); // warm-up: module init, JIT, Postgres caches
const timings: number[] = [];
for (let i = 0; i < RUNS; i++) timings.push(await statsOnce(1000 + i));
await Promise.allSettled(pending);
timings.sort((a, b) => a - b);
await database.stop();
console.log(
  JSON.stringify({
    bench: "stats",
    joins: JOINS,
    sources: SOURCES,
    runs: RUNS,
    p50_ms: Number(percentile(timings, 50).toFixed(2)),
    p95_ms: Number(percentile(timings, 95).toFixed(2)),
    seed_s: Number(seedSeconds.toFixed(1)),
  }),
);
