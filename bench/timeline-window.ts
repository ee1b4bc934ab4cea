// The memory and CPU behind one decision of a guild's object, at 1k / 10k / 20k
// pending joins: the window `decide` loads (worker/guild-invites/timeline-rows.ts),
// against the whole-timeline JSON value each event parsed and wrote before.
// Prints one JSON line.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { addFetch, addJoin, decide, emptyTimeline, type Timeline } from "../worker/attribution";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const T0 = 1_700_000_000_000;

/** A raid: `n` joins through one invite after the last snapshot, none decided yet. */
function raid(n: number): Timeline {
  const tl = addFetch(emptyTimeline(), { invites: [{ code: "raid", uses: 0, maxUses: 0, maxAge: 0, createdAt: T0 - 60_000, expiresAt: null }], startedAt: T0, answeredAt: T0 + 100 });
  const joins = Array.from({ length: n }, (_, i) => ({ eventId: `raid:${i}`, userId: String(800_000_000_000_000_000n + BigInt(i)), joinedAt: T0 + 200 + i, receivedAt: T0 + 300 + i, seq: i }));
  return { ...tl, joins, nextSeq: n, watermark: T0 + 200 + n };
}

function heapOf(make: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (kept === null) throw new Error("unreachable");
  return bytes;
}

/** CPU time (user + system), not wall time: the machine may be shared. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
};

const figures: Record<string, number> = {};
for (const n of [1_000, 10_000, 20_000]) {
  const tl = raid(n);
  const json = JSON.stringify(tl);
  const k = `${n / 1_000}k`;
  // Before: every event parsed this value and wrote it back whole.
  figures[`value_bytes_${k}`] = json.length;
  figures[`window_heap_bytes_${k}`] = heapOf(() => JSON.parse(json) as Timeline);
  let started = cpuMs();
  for (let i = 0; i < 5; i++) JSON.stringify(addJoin(JSON.parse(json) as Timeline, { eventId: `x${i}`, userId: "1", joinedAt: T0 + 10 * n, receivedAt: T0 + 10 * n }));
  figures[`before_event_cpu_ms_${k}`] = +((cpuMs() - started) / 5).toFixed(2);
  started = cpuMs();
  const answered = addFetch(tl, { invites: [{ code: "raid", uses: n, maxUses: 0, maxAge: 0, createdAt: T0 - 60_000, expiresAt: null }], startedAt: T0 + 10 * n, answeredAt: T0 + 10 * n + 100 });
  decide(answered, T0 + 10 * n + 200);
  figures[`decide_cpu_ms_${k}`] = +(cpuMs() - started).toFixed(1);
}
console.log(JSON.stringify(figures));
