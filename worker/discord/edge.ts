/**
 * Discord's Cloudflare edge refusing the Worker (discord-api-docs #7137, #7146):
 * an HTML "error code: 1015" page, or a 429 without Discord's JSON body. It is
 * not one route's rate limit but a block of the caller's IP, so the whole bot
 * backs off, with jitter, instead of each route retrying into it.
 *
 * "Global" means one isolate: every DiscordRest in it (the guild objects it
 * hosts, or the cron's and the queue's handlers) waits out one shared deadline.
 * Isolates share no memory, and the edge judges each address on its own, so an
 * isolate learns of a block from its own first refused request and backs off by
 * itself; the object and the cron do not wait on each other. Both keep a record
 * for `/invite health`: the object reports its isolate's refusals in its status,
 * the cron records each run's in `job_runs.figures.edgeRefused`.
 */

const BASE_MS = 5_000;
const MAX_MS = 10 * 60_000;
const MEMORY = 1_000;

/** Whether an answer is the edge's refusal rather than Discord's: its 1015 page, or a 429 that is not Discord's JSON. */
export function isEdgeRefusal(status: number, body: string): boolean {
  // Cloudflare's page (HTML, or the plain "error code: 1015"): Discord's own answers are JSON.
  if (/<html|error code/i.test(body) && /\b1015\b/.test(body)) return true;
  if (status !== 429) return false;
  try {
    const json = JSON.parse(body) as { retry_after?: unknown } | null;
    return typeof json?.retry_after !== "number";
  } catch {
    return true;
  }
}

/** The shared deadline of one isolate's Discord calls. */
export class EdgeGate {
  private blockedUntil = 0;
  private strikes = 0;
  private readonly refusedAt: number[] = [];
  /** Every refusal this gate met: the cron counts those of one guild's run. */
  total = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** How long a request must wait before it may be sent; 0 when the edge is not known to refuse. */
  waitMs(now: number): number {
    return Math.max(0, this.blockedUntil - now);
  }

  /**
   * The edge refused a request: every caller waits, for at least its Retry-After,
   * and for a backoff that doubles with each refusal in a row. The jitter (the
   * upper half of the backoff) keeps isolates and objects from coming back together.
   */
  refused(now: number, retryAfterMs: number | null): number {
    const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(this.strikes, 16));
    this.strikes++;
    this.total++;
    const wait = Math.max(retryAfterMs ?? 0, Math.floor(ceiling / 2 + (this.random() * ceiling) / 2));
    this.blockedUntil = Math.max(this.blockedUntil, now + wait);
    this.refusedAt.push(now);
    if (this.refusedAt.length > MEMORY) this.refusedAt.shift();
    return this.blockedUntil - now;
  }

  /** Discord answered: the next refusal starts the backoff afresh. */
  answered(): void {
    this.strikes = 0;
  }

  /** Refusals met since `since` (the last MEMORY at most), and until when calls wait. */
  sightings(since: number): { refusals: number; blockedUntil: number | null } {
    return { refusals: this.refusedAt.filter((at) => at >= since).length, blockedUntil: this.blockedUntil > 0 ? this.blockedUntil : null };
  }
}

/** This isolate's gate, shared by every DiscordRest created in it. */
export const isolateEdgeGate = new EdgeGate();
