// bench/mint: invitation waves at scale, through the Worker's own code and driver.
// - mint_ms: /invite mint's work for a wave of 10,000 among 100,000 members (median of 3 guilds)
// - eligible_ms: each policy's eligible count and a draw of 500 on such a guild, with an invitation history (median of 5)
// - landing_p95_ms: GET /i/:code from `wrangler dev`, 100 invitations viewed 3 times each
// - landing_floor_p95_ms: as many GETs of a malformed code (no Postgres, no Discord): wrangler dev's own share
// Prints one JSON line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { startLocalWorker } from "../scripts/lib/local-worker";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";
import { startFakeDiscord } from "../simulator/server";
import { openDb } from "../worker/db";
import { newInvitationCode } from "../worker/invitations/code";
import { newSeed } from "../worker/invitations/draw";
import { drawEligible } from "../worker/invitations/eligible";
import { mintWave } from "../worker/invitations/mint";
import { POLICY_NAMES, type Policy } from "../worker/invitations/policy";
import { benchWorkerVars } from "./lib/bench-worker";
import { percentile } from "./lib/percentile";

const MEMBERS = 100_000;
const WAVE = 10_000;
const MINT_GUILDS = ["910000000000000001", "910000000000000002", "910000000000000003"];
const LANDING_INVITATIONS = 100;
const VIEWS = 3;
const progress = (line: string) => process.stderr.write(`[mint] ${line}\n`);
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const round = (ms: number) => Math.round(ms * 10) / 10;

neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
const database = await startMigratedDatabase();
const client = new pg.Client({ connectionString: database.url });
await client.connect();
const stops: Array<() => Promise<unknown>> = [() => database.stop(), () => client.end()];

try {
  // A guild as a year of activity leaves it: 2 % bots, 5 % gone, 20,000 earlier invitations of
  // which half were spent (by members who mostly stayed), some expired, some revoked.
  progress(`seeding ${MINT_GUILDS.length} guilds of ${MEMBERS} members`);
  for (const guild of MINT_GUILDS) {
    await client.query("delete from invitations where guild_id = $1", [guild]);
    await client.query("delete from waves where guild_id = $1", [guild]);
    await client.query("delete from members where guild_id = $1", [guild]);
    await client.query(
      `insert into members (guild_id, user_id, joined_at, left_at, bot)
       select $1, (300000000000000000 + i)::text, now() - (i % 730) * interval '1 day',
              case when i % 20 = 7 then now() - (i % 30) * interval '1 day' end, i % 50 = 3
         from generate_series(1, $2::int) i`,
      [guild, MEMBERS],
    );
    await client.query(
      `insert into invitations (guild_id, code, inviter_id, invited_id, created_at, spent_at, expires_at, revoked_at)
       select $1, 'seed-' || $1 || '-' || i, (300000000000000000 + (i * 5))::text,
              case when i % 2 = 0 then (300000000000000000 + (i * 5) + 1)::text end,
              now() - (i % 300) * interval '1 day',
              case when i % 2 = 0 then now() - (i % 300) * interval '1 day' + interval '2 days' end,
              case when i % 4 = 1 then now() - interval '1 day' else now() + interval '30 days' end,
              case when i % 10 = 3 then now() - interval '1 day' end
         from generate_series(1, 20000) i`,
      [guild],
    );
  }
  await client.query("vacuum analyze members");
  await client.query("vacuum analyze invitations");

  const { db, close } = openDb({ DATABASE_URL: database.url, DATABASE_WS_PROXY: database.wsProxy });
  stops.push(() => close());
  const now = new Date();
  const eligible: Record<string, number> = {};
  const eligibleCounts: Record<string, number> = {};
  for (const name of POLICY_NAMES) {
    const policy: Policy = { name, minDays: 30 };
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      // A dry run's work: the count and a draw of 500 (a wave's size, a few hundred).
      eligibleCounts[name] = (await drawEligible(db, MINT_GUILDS[0]!, policy, now, 500, newSeed())).eligible;
      times.push(performance.now() - started);
    }
    eligible[name] = round(median(times));
    progress(`eligible ${name}: ${eligibleCounts[name]} members in ${eligible[name]} ms`);
  }

  const mintTimes: number[] = [];
  for (const guild of MINT_GUILDS) {
    const started = performance.now();
    const result = await mintWave(db, { guildId: guild, policy: { name: "unspent", minDays: 0 }, count: WAVE, expiresDays: 14, createdBy: "bench", dryRun: false, now: new Date() });
    mintTimes.push(performance.now() - started);
    if (result.recipients.length !== WAVE) throw new Error(`minted ${result.recipients.length}, not ${WAVE}`);
    progress(`minted ${WAVE} among ${result.eligible} eligible in ${round(mintTimes.at(-1)!)} ms`);
  }

  // The landing page through wrangler dev, the fake Discord answering at once (the page is measured, not Discord).
  const discord = await startFakeDiscord({ latency: false });
  stops.push(() => discord.close());
  const inviters = Array.from({ length: LANDING_INVITATIONS }, (_, i) => String(400000000000000000n + BigInt(i)));
  const guild = discord.state.createGuild({ name: "Bench Lounge", members: inviters.map((id) => ({ user: { id, username: `member${id.slice(-3)}` } })) });
  const codes = inviters.map(() => newInvitationCode());
  await client.query(
    `insert into invitations (guild_id, code, inviter_id, expires_at)
     select $1, x->>0, x->>1, now() + interval '14 days' from jsonb_array_elements($2::jsonb) x`,
    [guild.id, JSON.stringify(codes.map((code, i) => [code, inviters[i]]))],
  );
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "invites-bench-mint-"));
  const worker = await startLocalWorker({ vars: benchWorkerVars(database, discord.apiBase, "bench-relay-secret-0123"), persistTo });
  stops.push(async () => {
    await worker.stop();
    fs.rmSync(persistTo, { recursive: true, force: true });
  });
  // Warm-up: wrangler dev's first requests compile and connect.
  for (let i = 0; i < 5; i++) await fetch(`${worker.url}/health`).then((r) => r.text());
  // The floor: the same route refusing a malformed code before Postgres or Discord is asked.
  const floor: number[] = [];
  for (let i = 0; i < LANDING_INVITATIONS * VIEWS; i++) {
    const started = performance.now();
    const response = await fetch(`${worker.url}/i/not-a-code`, { headers: { "CF-Connecting-IP": `10.1.${i >> 8}.${i & 255}` } });
    await response.text();
    floor.push(performance.now() - started);
    if (response.status !== 404) throw new Error(`GET /i/not-a-code answered ${response.status}`);
  }
  const landing: number[] = [];
  for (let view = 0; view < VIEWS; view++) {
    for (const [i, code] of codes.entries()) {
      const started = performance.now();
      // One visitor per invitation: the page allows an address 20 views a minute.
      const response = await fetch(`${worker.url}/i/${code}`, { headers: { "CF-Connecting-IP": `10.0.${i >> 8}.${i & 255}` } });
      await response.text();
      landing.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`GET /i/${code} answered ${response.status}`);
    }
  }
  const sorted = [...landing].sort((a, b) => a - b);
  const firstViews = landing.slice(0, LANDING_INVITATIONS).sort((a, b) => a - b);

  process.stdout.write(
    `${JSON.stringify({
      mint_ms: round(median(mintTimes)),
      eligible_ms: eligible,
      landing_p95_ms: round(percentile(sorted, 95)),
      landing_p50_ms: round(percentile(sorted, 50)),
      landing_first_view_p95_ms: round(percentile(firstViews, 95)),
      landing_floor_p95_ms: round(percentile([...floor].sort((a, b) => a - b), 95)),
      members: MEMBERS,
      wave: WAVE,
      eligible_counts: eligibleCounts,
      goals: { mint_ms: 2000, eligible_ms: 150, landing_p95_ms: 40 },
    })}\n`,
  );
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
