/**
 * How many of a guild's oldest spooled events go in one request, and its body.
 * One event is sent as itself, `{id, t, d}`, as before batches existed; more go
 * as `{"events": [...]}` (DESIGN.md, "Relay → Worker"), in spool order.
 */

/** The Worker's limits on a batch: its event count, and the body cap of `POST /relay/events`. */
export const MAX_BATCH_EVENTS = 100;
export const MAX_BATCH_BYTES = 1024 * 1024;

const OPEN = '{"events":[';
const CLOSE = "]}";

export interface Batch {
  /** How many of the events given (a prefix) the body holds; at least one. */
  count: number;
  body: string;
}

/**
 * The longest prefix of `bodies` within both limits. A single event over the byte
 * limit still goes alone: the Worker refuses it with 413 and the relay parks it,
 * rather than holding up the guild's queue behind it.
 */
export function nextBatch(bodies: string[], maxEvents = MAX_BATCH_EVENTS, maxBytes = MAX_BATCH_BYTES): Batch {
  let bytes = Buffer.byteLength(OPEN) + Buffer.byteLength(CLOSE);
  let count = 0;
  for (const body of bodies.slice(0, maxEvents)) {
    const size = Buffer.byteLength(body) + (count > 0 ? 1 : 0);
    if (count > 0 && bytes + size > maxBytes) break;
    bytes += size;
    count++;
  }
  if (count <= 1) return { count: Math.min(1, bodies.length), body: bodies[0] ?? "" };
  return { count, body: OPEN + bodies.slice(0, count).join(",") + CLOSE };
}
