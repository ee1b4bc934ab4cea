/** Retry policy for forwarding: what to do with a response, and how long to wait. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, base·2^attempt)).
 * Full jitter spreads the retries of many guilds after a shared outage instead
 * of having them hit the Worker in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === "") return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export type Outcome =
  | { kind: "accepted" }
  | { kind: "park" }
  | { kind: "retry"; afterMs: number | null };

/**
 * Only 202 means the Worker holds the event durably. Other 4xx (bad signature,
 * malformed body) will fail the same way every time, so they are parked rather
 * than retried forever (413, a body over the Worker's 1 MiB cap, too); 429, 5xx
 * and anything unexpected are retried.
 */
export function classifyResponse(status: number, retryAfter: string | null, nowMs: number): Outcome {
  if (status === 202) return { kind: "accepted" };
  if (status === 429) return { kind: "retry", afterMs: parseRetryAfter(retryAfter, nowMs) };
  if (status >= 400 && status < 500) return { kind: "park" };
  return { kind: "retry", afterMs: null };
}
