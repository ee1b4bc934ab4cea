/**
 * A small Discord REST client: bot auth, JSON, and Discord's limits built in.
 * A 429 waits `retry_after` and tries again; a 5xx or network error retries
 * with backoff. Expected failures come back as a typed value, never a throw.
 */

export interface DiscordApiError {
  kind: "discord";
  status: number;
  /** Discord's JSON error code (10006 Unknown Invite, 50013 Missing Permissions, ...); 0 when absent. */
  code: number;
  message: string;
}

export interface DiscordUnavailable {
  kind: "discord_unavailable";
  /** Why we gave up: still rate limited after waiting, or Discord kept failing. */
  reason: "rate_limited" | "server_error" | "network";
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
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DiscordRest {
  private readonly options: Required<DiscordRestOptions>;
  /** 429s this client met (each waited out or given up on): the cron jobs report them in health. */
  rateLimitHits = 0;

  constructor(options: DiscordRestOptions) {
    this.options = { maxWaitMs: 10_000, maxAttempts: 4, sleep: defaultSleep, ...options };
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
    const { apiBase, token, maxWaitMs, maxAttempts, sleep } = this.options;
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
      const response = await this.send(apiBase + path, method, headers, body);
      let delay: number;
      if (response === null) {
        last = { kind: "discord_unavailable", reason: "network" };
        delay = backoffMs(attempt);
      } else if (response.status === 429) {
        this.rateLimitHits++;
        delay = await retryAfterMs(response);
        last = { kind: "discord_unavailable", reason: "rate_limited", retryAfterMs: delay };
      } else if (response.status >= 500) {
        await response.body?.cancel();
        last = { kind: "discord_unavailable", reason: "server_error" };
        delay = backoffMs(attempt);
      } else {
        return readResult<T>(response);
      }
      // Give up rather than wait past the caller's budget; the failure says when to come back.
      if (waited + delay > maxWaitMs || attempt === maxAttempts) break;
      await sleep(delay);
      waited += delay;
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

async function readResult<T>(response: Response): Promise<DiscordResult<T>> {
  if (response.status === 204) return { ok: true, value: undefined as T };
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (response.ok) return { ok: true, value: json as T };
  const err = (json ?? {}) as { code?: number; message?: string };
  return {
    ok: false,
    error: { kind: "discord", status: response.status, code: err.code ?? 0, message: err.message ?? response.statusText },
  };
}

async function retryAfterMs(response: Response): Promise<number> {
  const text = await response.text();
  const body = safeJson(text) as { retry_after?: number } | undefined;
  const seconds = body?.retry_after ?? Number(response.headers.get("Retry-After") ?? "1");
  return Math.max(0, Math.ceil(seconds * 1000));
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
