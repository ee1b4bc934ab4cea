/**
 * Hardening, proven (issue 9): forged interactions, hostile relay events, faults
 * over 1,000 joins and a minute of load. Prints one JSON line:
 *   fuzz_accepted_forged  forged interactions the Worker's verifier accepted, of 10,000 mutated ones (must be 0)
 *   relay_fuzz_500s       hostile relay events answered 5xx by wrangler dev (must be 0)
 *   fault_joins_lost      joins with no invite_joins row after the faults run settled (must be 0)
 *   fault_joins_doubled   rows beyond one per joined member (must be 0)
 *   load_p50_ms, load_p99_ms  acceptance latency (scheduled send → 202) at LOAD_RATE events/s
 *   load_lost             load events never accepted, plus joins with no row once settled (must be 0)
 *   landing_flood_p99_ms  while 500 concurrent unknown codes arrive from one address: valid pages, /health
 *                         and /invite health answering, p99 (goal under 500)
 *   landing_flood_db_refusals  connections Postgres refused meanwhile (must be 0)
 * and detail keys beside them. Progress goes to stderr; BENCH_VERBOSE=1 adds the Worker's and relay's logs.
 * BENCH_PARTS (comma-separated, default all: fuzz,relay-fuzz,faults,load,landing-flood) runs only those;
 * the keys of the others are left out.
 */
import { relayFuzzEndToEnd } from "./lib/hardening-relay-fuzz";
import { runFaults } from "./lib/hardening-faults";
import { runLandingFlood } from "./lib/hardening-landing-flood";
import { runLoad } from "./lib/hardening-load";
import { startHardeningStack } from "./lib/hardening-stack";
import { signatureFuzz } from "./lib/signature-fuzz";

const SEED = Number(process.env.BENCH_SEED ?? 20260901);
const FAULT_JOINS = Number(process.env.BENCH_FAULT_JOINS ?? 1_000);
const LOAD_RATE = Number(process.env.BENCH_LOAD_RATE ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const LOAD_GUILDS = 50;
const FLOOD = Number(process.env.BENCH_FLOOD ?? 500);
const PARTS = new Set((process.env.BENCH_PARTS ?? "fuzz,relay-fuzz,faults,load,landing-flood").split(","));
const part = <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => (PARTS.has(name) ? run() : Promise.resolve(undefined));

const started = Date.now();
const progress = (line: string) => process.stderr.write(`[hardening ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

const signatures = await part("fuzz", () => {
  progress("signature fuzz: 10,000 mutated interactions");
  return signatureFuzz(10_000);
});

progress("starting Postgres, the simulator and wrangler dev");
const stack = await startHardeningStack(progress, SEED);
try {
  const relayFuzz = await part("relay-fuzz", () => {
    progress("relay fuzz against wrangler dev");
    return relayFuzzEndToEnd(stack);
  });
  const faults = await part("faults", () => runFaults(stack, progress, { joins: FAULT_JOINS, seed: SEED }));
  const load = await part("load", () => runLoad(stack, progress, { rate: LOAD_RATE, seconds: LOAD_SECONDS, guilds: LOAD_GUILDS, seed: SEED }));
  const flood = await part("landing-flood", () => runLandingFlood(stack, progress, { flood: FLOOD }));
  console.log(
    JSON.stringify({
      fuzz_accepted_forged: signatures?.accepted_forged,
      relay_fuzz_500s: relayFuzz?.report.fiveHundreds,
      fault_joins_lost: faults?.lost,
      fault_joins_doubled: faults?.doubled,
      load_p50_ms: load?.p50_ms,
      load_p99_ms: load?.p99_ms,
      load_lost: load?.lost,
      landing_flood_p99_ms: flood?.p99_ms,
      landing_flood_db_refusals: flood?.db_refusals,
      fuzz_tried: signatures?.tried,
      fuzz_rejected_authentic: signatures?.rejected_authentic,
      relay_fuzz_sent: relayFuzz?.report.sent,
      relay_fuzz_by_status: relayFuzz?.report.byStatus,
      relay_fuzz_unexpected: relayFuzz?.report.unexpected,
      relay_fuzz_joins_refused: relayFuzz?.joinsRefused,
      relay_fuzz_joins_lost: relayFuzz?.joinsLost,
      relay_fuzz_hostile_rows: relayFuzz?.hostileRows,
      fault_joins: faults?.joins,
      fault_stray_rows: faults?.stray,
      fault_poison: { dead_lettered: faults?.poison_dead_lettered, written: faults?.poison_written },
      fault_injected: faults?.injected,
      fault_worker_saw: faults?.worker_saw,
      fault_duplicates_answered_fresh: faults?.duplicates_answered_fresh,
      fault_relay_parked: faults?.relay_parked,
      fault_settle_s: faults?.settle_s,
      fault_cron_nudged: faults?.cron_nudged,
      load_events: load?.events,
      load_by_kind: load?.by_kind,
      load_max_ms: load?.max_ms,
      load_not_accepted: load?.not_accepted,
      load_joins: load?.joins,
      load_joins_unrecorded: load?.joins_unrecorded,
      load_doubled: load?.doubled,
      load_departures_unrecorded: load?.departures_unrecorded,
      load_quick_departures: load?.quick_departures,
      load_quick_departures_unrecorded: load?.quick_departures_unrecorded,
      load_retried: load?.retried,
      load_send_lag_p99_ms: load?.send_lag_p99_ms,
      load_settle_s: load?.settle_s,
      landing_flood_by_status: flood?.flood_by_status,
      landing_flood_s: flood?.flood_s,
      landing_flood_control_s: flood?.control_s,
      landing_flood_p99_ms_by_probe: flood?.p99_ms_by_probe,
      landing_flood_baseline_p99_ms: flood?.baseline_p99_ms,
      landing_flood_probes: flood?.probes,
      landing_flood_probes_failed: flood?.probes_failed,
      duration_s: Math.round((Date.now() - started) / 1000),
    }),
  );
} finally {
  await stack.stop();
}
