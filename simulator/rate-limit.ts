/**
 * Discord-style rate limits: per-route buckets split by the major parameter,
 * with X-RateLimit-* headers on every response, plus failures that tests force
 * (429s and 5xx) for the next N matching requests, and Discord's edge refusing
 * every request for a while (simulator/edge-refusal.ts).
 */
import { createHash } from "node:crypto";
import { EdgeRefusal, type RawAnswer } from "./edge-refusal";

export interface BucketConfig {
  limit: number;
  windowMs: number;
}

/** Generous enough that ordinary tests never meet it; tests that want a 429 force one or configure a bucket. */
export const DEFAULT_BUCKET: BucketConfig = { limit: 50, windowMs: 1000 };

export interface RequestMatcher {
  method?: string;
  /** Path under /api/v10, e.g. "/guilds/123/invites". */
  path_prefix?: string;
}
export interface ForcedRateLimit extends RequestMatcher {
  count: number;
  /** Seconds, fractional like Discord's. */
  retry_after: number;
  global?: boolean;
}
export interface ForcedFailure extends RequestMatcher {
  count: number;
  status: number;
}

export type Verdict =
  | { kind: "ok"; headers: Record<string, string> }
  | { kind: "edge-refused"; headers: Record<string, string>; answer: RawAnswer }
  | { kind: "rate-limited"; headers: Record<string, string>; retryAfter: number; global: boolean }
  | { kind: "failure"; headers: Record<string, string>; status: number };

export class RateLimiter {
  private readonly windows = new Map<string, { remaining: number; resetAt: number }>();
  private readonly forcedRateLimits: ForcedRateLimit[] = [];
  private readonly forcedFailures: ForcedFailure[] = [];
  readonly edge: EdgeRefusal;

  constructor(
    /** Per-route overrides keyed "METHOD /template", e.g. "POST /channels/{channel_id}/invites". */
    private readonly buckets: Record<string, BucketConfig> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.edge = new EdgeRefusal(now);
  }

  forceRateLimit(rule: ForcedRateLimit): void {
    this.forcedRateLimits.push({ ...rule });
  }

  forceFailure(rule: ForcedFailure): void {
    this.forcedFailures.push({ ...rule });
  }

  /**
   * Decides one request's fate and counts it against its bucket. Buckets are per
   * token as on Discord: another bot hammering a route never limits this one.
   */
  check(method: string, path: string, routeKey: string, majorValue: string, token = ""): Verdict {
    // The edge answers before Discord's own limits see the request: no bucket headers, nothing counted.
    const refused = this.edge.answer(path);
    if (refused) return { kind: "edge-refused", headers: {}, answer: refused };
    const config = this.buckets[routeKey] ?? DEFAULT_BUCKET;
    const failure = takeRule(this.forcedFailures, method, path);
    if (failure) return { kind: "failure", status: failure.status, headers: {} };

    const forced = takeRule(this.forcedRateLimits, method, path);
    if (forced) {
      return {
        kind: "rate-limited",
        retryAfter: forced.retry_after,
        global: forced.global ?? false,
        headers: limitedHeaders(config.limit, routeKey, forced.retry_after, this.now(), forced.global ?? false),
      };
    }

    const key = `${routeKey}:${majorValue}:${token}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { remaining: config.limit, resetAt: now + config.windowMs };
      this.windows.set(key, window);
    }
    const resetAfter = (window.resetAt - now) / 1000;
    if (window.remaining === 0) {
      return {
        kind: "rate-limited",
        retryAfter: resetAfter,
        global: false,
        headers: limitedHeaders(config.limit, routeKey, resetAfter, now, false),
      };
    }
    window.remaining -= 1;
    return { kind: "ok", headers: bucketHeaders(config.limit, window.remaining, routeKey, resetAfter, now) };
  }
}

function takeRule<T extends RequestMatcher & { count: number }>(rules: T[], method: string, path: string): T | undefined {
  const index = rules.findIndex(
    (r) => r.count > 0 && (!r.method || r.method.toUpperCase() === method) && (!r.path_prefix || path.startsWith(r.path_prefix)),
  );
  const rule = rules[index];
  if (!rule) return undefined;
  rule.count -= 1;
  if (rule.count === 0) rules.splice(index, 1);
  return rule;
}

/** Discord's bucket ids are opaque hashes shared by every major parameter of a route. */
const bucketId = (routeKey: string) => createHash("sha1").update(routeKey).digest("hex").slice(0, 32);

function bucketHeaders(limit: number, remaining: number, routeKey: string, resetAfter: number, now: number) {
  return {
    "X-RateLimit-Limit": String(limit),
    "X-RateLimit-Remaining": String(remaining),
    "X-RateLimit-Reset": ((now + resetAfter * 1000) / 1000).toFixed(3),
    "X-RateLimit-Reset-After": resetAfter.toFixed(3),
    "X-RateLimit-Bucket": bucketId(routeKey),
  };
}

function limitedHeaders(limit: number, routeKey: string, retryAfter: number, now: number, global: boolean) {
  return {
    ...bucketHeaders(limit, 0, routeKey, retryAfter, now),
    "Retry-After": String(Math.ceil(retryAfter)),
    "X-RateLimit-Scope": global ? "global" : "user",
    ...(global ? { "X-RateLimit-Global": "true" } : {}),
  };
}
