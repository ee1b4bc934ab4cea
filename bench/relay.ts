/**
 * Relay benchmark, all on 127.0.0.1 in one process: fake gateway → relay (with
 * its LevelDB spool and production defaults) → fake Worker target.
 * Prints one JSON line:
 *   events_per_s       GUILD_MEMBER_ADDs forwarded end to end per second, a burst of EVENTS across GUILDS guilds
 *   outage_peak_spool  the spool's largest depth during a 30 s target outage (503) under LOAD_PER_S steady load
 *   outage_drain_s     from the target's recovery until every event dispatched before it was accepted
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../relay/config.ts";
import { createLogger } from "../relay/log.ts";
import { startRelay } from "../relay/relay.ts";
import { startFakeGateway } from "../test/node/relay/fake-gateway.ts";
import { startTarget, waitFor } from "../test/node/relay/target.ts";

const EVENTS = 20_000;
const GUILDS = Array.from({ length: 50 }, (_, i) => String(1_000 + i));
const LOAD_PER_S = 200;
const OUTAGE_MS = 30_000;
const SECRET = "bench-relay-secret-0123456789";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dir = mkdtempSync(path.join(os.tmpdir(), "relay-bench-"));
const gateway = await startFakeGateway({ heartbeatIntervalMs: 5_000, guilds: GUILDS });
const target = await startTarget(SECRET);
const config = loadConfig({
  DISCORD_BOT_TOKEN: "bench-token",
  DISCORD_API_BASE: gateway.apiBase,
  RELAY_TARGET_URL: target.url,
  RELAY_SECRET: SECRET,
  RELAY_SPOOL_PATH: path.join(dir, "spool"),
  RELAY_HEALTH_PORT: "0",
});
const relay = await startRelay(config, createLogger("error", (line) => process.stderr.write(line)));
let user = 0;
const dispatch = () =>
  gateway.dispatch("GUILD_MEMBER_ADD", {
    guild_id: GUILDS[user % GUILDS.length],
    user: { id: String(++user) },
    joined_at: new Date().toISOString(),
  });
const allAccepted = () => target.accepted.length === gateway.dispatched.length;
await waitFor("the GUILD_CREATEs", allAccepted, 30_000);

// 1. Throughput: a burst, in slices so the gateway socket keeps flowing.
const burstStart = performance.now();
for (let i = 0; i < EVENTS; i += 500) {
  for (let j = 0; j < 500; j++) dispatch();
  await sleep(0);
}
await waitFor("the burst", allAccepted, 120_000);
const eventsPerS = EVENTS / ((performance.now() - burstStart) / 1000);

// 2. A 30 s outage under steady load.
const load = setInterval(() => {
  for (let i = 0; i < LOAD_PER_S / 100; i++) dispatch();
}, 10);
await sleep(3_000);
target.refuseWith = { status: 503 };
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, relay.spool.depth())), 50);
await sleep(OUTAGE_MS);
const dispatchedBeforeRecovery = gateway.dispatched.length;
const recoveredAt = performance.now();
target.refuseWith = null;
const before = new Set(gateway.dispatched.slice(0, dispatchedBeforeRecovery).map((e) => `${e.sessionId}:${e.s}`));
await waitFor("the drain", () => target.accepted.filter((e) => before.has(e.id)).length === before.size, 120_000);
const drainS = (performance.now() - recoveredAt) / 1000;
clearInterval(sampler);
clearInterval(load);
await waitFor("the tail", allAccepted, 30_000);

await relay.stop();
await gateway.close();
await target.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    events_per_s: Math.round(eventsPerS),
    outage_peak_spool: peak,
    outage_drain_s: Number(drainS.toFixed(2)),
    burst_events: EVENTS,
    guilds: GUILDS.length,
    outage_s: OUTAGE_MS / 1000,
    load_events_per_s: LOAD_PER_S,
    duplicates_at_target: target.duplicates,
  }) + "\n",
);
process.exit(0);
