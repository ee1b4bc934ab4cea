/**
 * A small Discord REST client: bot auth, JSON, and Discord's limits built in.
 * A 429 waits `retry_after` and tries again; a 5xx or network error retries
 * with backoff; Discord's edge refusing the bot makes every client of the
 * isolate wait (worker/discord/edge.ts). Expected failures come back as a
 * typed value, never a throw.
 */
import { isEdgeRefusal, isolateEdgeGate, type EdgeGate } from "./edge";


export interface DiscordApiError {
  kind: "discord";
  status: number;
  /** Discord's JSON error code (10006 Unknown Invite, 50013 Missing Permissions, ...); 0 when absent. */
  code: number;
  message: string;
}

export interface DiscordUnavailable {
  kind: "discord_unavailable";
  /**
   * Why we gave up: still rate limited after waiting, Discord kept failing, or
   * Discord's edge refuses the whole bot for now (worker/discord/edge.ts).
   */
  reason: "rate_limited" | "server_error" | "network" | "edge_blocked";
  retryAfterMs?: number;
}

export type DiscordFailure = DiscordApiError | DiscordUnavailable;
export type DiscordResult<T> = { ok: true; value: T } | { ok: false; error: DiscordFailure };

export interface DiscordRestOptions {
  apiBase: string;
  token: string;
  /** Total time we may spend waiting on 429s and retries for one call. */
  maxWaitMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Shared by every client of the isolate unless a test gives its own. */
  edgeGate?: EdgeGate;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DiscordRest {
  private readonly options: Required<DiscordRestOptions>;
  /** 429s this client met (each waited out or given up on): the cron jobs report them in health. */
  rateLimitHits = 0;

  constructor(options: DiscordRestOptions) {
    this.options = { maxWaitMs: 10_000, maxAttempts: 4, sleep: defaultSleep, edgeGate: isolateEdgeGate, now: Date.now, ...options };
  }

  static fromEnv(env: { DISCORD_API_BASE: string; DISCORD_BOT_TOKEN: string }, options: Partial<DiscordRestOptions> = {}) {
    return new DiscordRest({ apiBase: env.DISCORD_API_BASE, token: env.DISCORD_BOT_TOKEN, ...options });
  }

  get<T>(path: string) {
    return this.request<T>("GET", path);
  }
  post<T>(path: string, body: unknown, auditReason?: string) {
    return this.request<T>("POST", path, body, auditReason);
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>("PATCH", path, body);
  }
  put<T>(path: string, body: unknown) {
    return this.request<T>("PUT", path, body);
  }
  delete<T>(path: string, auditReason?: string) {
    return this.request<T>("DELETE", path, undefined, auditReason);
  }

  async request<T>(method: string, path: string, body?: unknown, auditReason?: string): Promise<DiscordResult<T>> {
    const { apiBase, token, maxWaitMs, maxAttempts, sleep, edgeGate, now } = this.options;
    const headers: Record<string, string> = {
      "User-Agent": "DiscordBot (https://github.com/invite-attribution-bot, 0.1.0)",
    };
    // Interaction webhooks are authenticated by their token in the path, not the bot token.
    if (!path.startsWith("/webhooks/")) headers.Authorization = `Bot ${token}`;
    // A FormData body (a message with files) sets its own multipart boundary.
    if (body !== undefined && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
    if (auditReason) headers["X-Audit-Log-Reason"] = encodeURIComponent(auditReason);

    let waited = 0;
    let last: DiscordUnavailable = { kind: "discord_unavailable", reason: "network" };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // The edge refuses the whole bot: nothing is sent before its deadline, by any caller.
      const blocked = edgeGate.waitMs(now());
      if (blocked > 0) {
        if (waited + blocked > maxWaitMs) return { ok: false, error: { kind: "discord_unavailable", reason: "edge_blocked", retryAfterMs: blocked } };
        await sleep(blocked);
        waited += blocked;
      }
      const response = await this.send(apiBase + path, method, headers, body);
      let delay: number;
      const text = response === null || response.ok || response.status === 204 ? null : await response.text();
      if (response === null) {
        last = { kind: "discord_unavailable", reason: "network" };
        delay = backoffMs(attempt);
      } else if (text !== null && isEdgeRefusal(response.status, text)) {
        delay = edgeGate.refused(now(), retryAfterHeaderMs(response));
        last = { kind: "discord_unavailable", reason: "edge_blocked", retryAfterMs: delay };
      } else if (response.status === 429) {
        this.rateLimitHits++;
        delay = retryAfterMs(response, text ?? "");
        last = { kind: "discord_unavailable", reason: "rate_limited", retryAfterMs: delay };
      } else if (response.status >= 500) {
        last = { kind: "discord_unavailable", reason: "server_error" };
        delay = backoffMs(attempt);
      } else {
        edgeGate.answered();
        return readResult<T>(response, text);
      }
      // Give up rather than wait past the caller's budget; the failure says when to come back.
      if (waited + delay > maxWaitMs || attempt === maxAttempts) break;
      // An edge refusal's wait is the gate's, taken at the top of the next attempt.
      if (last.reason !== "edge_blocked") {
        await sleep(delay);
        waited += delay;
      }
    }
    return { ok: false, error: last };
  }

  private async send(url: string, method: string, headers: Record<string, string>, body: unknown): Promise<Response | null> {
    try {
      const payload = body === undefined || body instanceof FormData ? body : JSON.stringify(body);
      return await fetch(url, { method, headers, body: payload });
    } catch {
      return null;
    }
  }
}

/** A success's body is read here; an error's was read already (`text`) to tell the edge's refusals apart. */
async function readResult<T>(response: Response, text: string | null): Promise<DiscordResult<T>> {
  if (response.status === 204) return { ok: true, value: undefined as T };
  const raw = text ?? (await response.text());
  const json = raw ? safeJson(raw) : undefined;
  if (response.ok) return { ok: true, value: json as T };
  const err = (json ?? {}) as { code?: number; message?: string };
  return {
    ok: false,
    error: { kind: "discord", status: response.status, code: err.code ?? 0, message: err.message ?? response.statusText },
  };
}

function retryAfterMs(response: Response, text: string): number {
  const body = safeJson(text) as { retry_after?: number } | undefined;
  return body?.retry_after !== undefined ? Math.max(0, Math.ceil(body.retry_after * 1000)) : (retryAfterHeaderMs(response) ?? 1_000);
}

function retryAfterHeaderMs(response: Response): number | null {
  const seconds = Number(response.headers.get("Retry-After") ?? "NaN");
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds * 1000)) : null;
}

function backoffMs(attempt: number): number {
  return Math.min(2_000, 100 * 2 ** (attempt - 1));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
