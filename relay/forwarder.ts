import { setMaxListeners } from "node:events";
import http from "node:http";
import https from "node:https";
import { backoffDelay, classifyResponse, type BackoffPolicy } from "./backoff.ts";
import { MAX_BATCH_EVENTS, nextBatch } from "./batch.ts";
import type { Logger } from "./log.ts";
import { signedHeaders } from "./signing.ts";
import type { Spool, SpooledEvent } from "./spool.ts";

export interface ForwarderOptions {
  targetUrl: string;
  secret: string;
  backoff: BackoffPolicy;
  concurrency: number;
  requestTimeoutMs: number;
  log: Logger;
}

interface PostResult {
  status: number;
  retryAfter: string | null;
  text: string;
}

interface Backoff {
  attempt: number;
  timer: NodeJS.Timeout;
  /** Already pulled forward by a success elsewhere during this failure streak. */
  woken: boolean;
}

/**
 * Drains the spool to the Worker. One guild is strictly sequential: its oldest
 * events go in one batch request (relay/batch.ts), and what is spooled while it
 * is in flight waits for the next, sent only after this one got its 202. A batch
 * is one request per guild's turn, so guilds take turns fairly. Up to
 * `concurrency` guilds are in flight at once. A guild whose request failed
 * waits out its own backoff without holding a slot, so one broken guild does
 * not stall the others.
 */
export class Forwarder {
  lastForwardAt: Date | null = null;
  private readonly ready: string[] = [];
  /** Guilds queued, running or backing off: each guild is in at most one of those states. */
  private readonly busy = new Set<string>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly abort = new AbortController();
  private readonly target: URL;
  private readonly agent: http.Agent;
  private active = 0;
  private stopping = false;
  private idle: (() => void) | null = null;

  constructor(
    private readonly spool: Spool,
    private readonly options: ForwarderOptions,
  ) {
    this.target = new URL(options.targetUrl);
    // node:http with keep-alive rather than fetch: several times less CPU per request, which is the relay's bottleneck.
    const Agent = this.target.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    setMaxListeners(0, this.abort.signal); // one listener per request in flight, up to `concurrency`
  }

  /** Picks up whatever a previous run left in the spool. */
  start(): void {
    for (const guild of this.spool.pendingGuilds()) this.notify(guild);
  }

  /** A new event was spooled for `guild`. */
  notify(guild: string): void {
    if (this.stopping || this.busy.has(guild)) return;
    this.busy.add(guild);
    this.ready.push(guild);
    this.pump();
  }

  /** Stops sending; waits up to `graceMs` for requests in flight, then aborts them (they stay spooled). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const backoff of this.backoffs.values()) clearTimeout(backoff.timer);
    this.backoffs.clear();
    if (this.active > 0) {
      const drained = new Promise<void>((resolve) => (this.idle = resolve));
      const grace = setTimeout(() => this.abort.abort(), graceMs);
      await drained;
      clearTimeout(grace);
    }
    this.agent.destroy();
  }

  private pump(): void {
    while (!this.stopping && this.active < this.options.concurrency && this.ready.length > 0) {
      const guild = this.ready.shift()!;
      this.active++;
      void this.drain(guild)
        .catch((error: unknown) => {
          // Only a spool failure lands here; the events are still on disk, so retry the guild later.
          this.options.log.error("forward failed", { guild, error });
          this.retryLater(guild, null);
        })
        .finally(() => {
          this.active--;
          if (this.active === 0 && this.idle) this.idle();
          this.pump();
        });
    }
  }

  private async drain(guild: string): Promise<void> {
    const events = await this.spool.head(guild, MAX_BATCH_EVENTS);
    const batch = nextBatch(events.map((event) => event.body));
    const sent = events.slice(0, batch.count);
    let retry: { afterMs: number | null } | null = null;
    if (sent.length > 1 && !this.stopping) {
      const result = await this.send(batch.body);
      if (result.kind === "accepted") await this.accepted(guild, sent);
      else if (result.kind === "retry") retry = result; // retried whole: the Worker stored none of it
      // Refused (one event is malformed, say): sent one by one, so that only the refused event is parked.
      else retry = await this.sendEach(guild, sent);
    } else retry = await this.sendEach(guild, sent);
    if (this.stopping) return;
    if (retry) return this.retryLater(guild, retry.afterMs);
    this.busy.delete(guild);
    // Appends that landed during this request notified a busy guild; pick them up now.
    // An empty head with a non-zero depth means an append is still being written: its notify follows.
    if (events.length > 0 && this.spool.depth(guild) > 0) this.notify(guild);
  }

  /** Sends events one request each, in order, until one must be retried (returned); a refused one is parked. */
  private async sendEach(guild: string, events: SpooledEvent[]): Promise<{ afterMs: number | null } | null> {
    // Accepted keys are deleted together: one write instead of one per event.
    // A crash before that write re-sends them, and the Worker answers a repeated id with 202 and no effect.
    const accepted: SpooledEvent[] = [];
    try {
      for (const event of events) {
        if (this.stopping) break;
        const result = await this.send(event.body);
        if (result.kind === "retry") return result;
        if (result.kind === "accepted") {
          accepted.push(event);
          continue;
        }
        await this.spool.park(guild, event, result.status, result.response);
        this.options.log.error("event parked: the Worker refused it", {
          guild,
          status: result.status,
          response: result.response,
          event: summary(event.body),
        });
      }
      return null;
    } finally {
      await this.accepted(guild, accepted);
    }
  }

  private async accepted(guild: string, events: SpooledEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.spool.ack(guild, events.map((event) => event.key));
    this.lastForwardAt = new Date();
    this.recovered(guild);
  }

  private async send(
    body: string,
  ): Promise<{ kind: "accepted" } | { kind: "park"; status: number; response: string } | { kind: "retry"; afterMs: number | null }> {
    let response: PostResult;
    try {
      response = await this.post(body);
    } catch (error) {
      this.options.log.warn("forward failed: target unreachable", { error: String(error), event: summary(body) });
      return { kind: "retry", afterMs: null };
    }
    const outcome = classifyResponse(response.status, response.retryAfter, Date.now());
    if (outcome.kind === "park") return { kind: "park", status: response.status, response: response.text };
    if (outcome.kind === "retry") {
      this.options.log.warn("forward refused, will retry", { status: response.status, event: summary(body) });
    }
    return outcome;
  }

  private post(body: string): Promise<PostResult> {
    const transport = this.target.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        this.target,
        {
          method: "POST",
          agent: this.agent,
          headers: { ...signedHeaders(this.options.secret, body, Date.now()), "content-length": Buffer.byteLength(body) },
          timeout: this.options.requestTimeoutMs,
          signal: this.abort.signal,
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            if (text.length < 500) text += chunk;
          });
          response.on("error", reject);
          response.on("end", () => {
            const retryAfter = response.headers["retry-after"];
            resolve({ status: response.statusCode ?? 0, retryAfter: retryAfter ?? null, text: text.slice(0, 500) });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer within ${this.options.requestTimeoutMs} ms`)));
      request.on("error", reject);
      request.end(body);
    });
  }

  private retryLater(guild: string, afterMs: number | null): void {
    if (this.stopping) return;
    const previous = this.backoffs.get(guild);
    const attempt = previous ? previous.attempt + 1 : 0;
    const delay = afterMs ?? backoffDelay(attempt, this.options.backoff);
    const timer = setTimeout(() => this.wake(guild), delay);
    this.backoffs.set(guild, { attempt, timer, woken: previous?.woken ?? false });
  }

  private wake(guild: string): void {
    const backoff = this.backoffs.get(guild);
    if (backoff) clearTimeout(backoff.timer);
    this.ready.push(guild);
    this.pump();
  }

  /**
   * A 202 means the Worker is up again: guilds still backing off from the same
   * outage are retried now rather than after up to `maxMs`. Each guild is pulled
   * forward once per failure streak, so a guild that keeps failing on its own
   * falls back to its plain backoff instead of being retried on every success.
   */
  private recovered(guild: string): void {
    this.backoffs.delete(guild);
    for (const [other, backoff] of this.backoffs) {
      if (backoff.woken) continue;
      backoff.woken = true;
      clearTimeout(backoff.timer);
      backoff.timer = setTimeout(() => this.wake(other), 0);
    }
  }
}

/** What a log line needs to identify an event or a batch, without its (possibly personal) payload. */
function summary(body: string): { id?: string; t?: string; events?: number; last?: string } {
  try {
    const parsed = JSON.parse(body) as { id?: string; t?: string; events?: { id?: string }[] };
    if (parsed.events) return { id: parsed.events[0]?.id, last: parsed.events.at(-1)?.id, events: parsed.events.length };
    return { id: parsed.id, t: parsed.t };
  } catch {
    return {};
  }
}
