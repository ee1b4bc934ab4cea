/**
 * How Discord behaves towards the bot, beyond what it stores: how long REST
 * answers take, how late gateway dispatches arrive, and whether the
 * undocumented member search answers a bot. A fake that answers at once and
 * delivers at once flatters the attribution, so the defaults are Discord's
 * observed ones. One set of defaults per server, overridable per guild
 * (PATCH /_fake/guilds/{id}/behaviour, same keys).
 */
import { DiscordError } from "./errors";
import type { Range } from "./random";

export interface Behaviour {
  /** Every REST answer takes this long; the state it reflects is read (or changed) at a random instant inside it. */
  rest_latency_ms: Range;
  /** A dispatch becomes deliverable this long after it happened (never before an earlier one of its guild). */
  gateway_latency_ms: Range;
  /** Share of dispatches that take `straggler_ms` instead, holding back everything after them. */
  straggler_rate: number;
  straggler_ms: Range;
  /**
   * "refuse": POST /guilds/{id}/members-search answers 403 code 20001, as Discord may for any bot.
   * "indexing": it answers 202 "index not yet available" with a retry_after once, then answers.
   */
  member_search: "answer" | "refuse" | "indexing";
  /**
   * Where a marked invite's roles reach the gateway: in the GUILD_MEMBER_ADD's `roles`,
   * in a GUILD_MEMBER_UPDATE 0.2–1.5 s later (the add without them), or either at
   * random ("mixed"): Discord does not document which.
   */
  mark_delivery: MarkDelivery;
}

export const MARK_DELIVERIES = ["add", "update", "mixed"] as const;
export type MarkDelivery = (typeof MARK_DELIVERIES)[number];

export type Latency = Omit<Behaviour, "member_search" | "mark_delivery">;

export const REALISTIC: Behaviour = {
  rest_latency_ms: [40, 300],
  gateway_latency_ms: [50, 1000],
  straggler_rate: 0.02,
  straggler_ms: [2000, 6000],
  member_search: "answer",
  mark_delivery: "mixed",
};

/** For tests that assert on timing-free behaviour. */
export const NO_LATENCY: Latency = { rest_latency_ms: [0, 0], gateway_latency_ms: [0, 0], straggler_rate: 0, straggler_ms: [0, 0] };

const RANGES = ["rest_latency_ms", "gateway_latency_ms", "straggler_ms"] as const;
const MAX_MS = 60_000;

/** Checks a (partial) behaviour from the control API or options; throws 400 naming the bad key. */
export function parseBehaviour(input: unknown): Partial<Behaviour> {
  const bad = (message: string) => new DiscordError(400, { message, code: 0 });
  if (!input || typeof input !== "object" || Array.isArray(input)) throw bad("behaviour must be an object");
  const patch: Partial<Behaviour> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((RANGES as readonly string[]).includes(key)) {
      const ok =
        Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= MAX_MS) && value[0] <= value[1];
      if (!ok) throw bad(`${key} must be [min, max], integers in [0, ${MAX_MS}], min <= max`);
      patch[key as (typeof RANGES)[number]] = [value[0], value[1]];
    } else if (key === "straggler_rate") {
      if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw bad("straggler_rate must be a number in [0, 1]");
      patch.straggler_rate = value;
    } else if (key === "member_search") {
      if (value !== "answer" && value !== "refuse" && value !== "indexing") throw bad('member_search must be "answer", "refuse" or "indexing"');
      patch.member_search = value;
    } else if (key === "mark_delivery") {
      if (!(MARK_DELIVERIES as readonly unknown[]).includes(value)) throw bad(`mark_delivery must be one of ${MARK_DELIVERIES.join(", ")}`);
      patch.mark_delivery = value as MarkDelivery;
    } else {
      throw bad(`unknown behaviour key ${key}`);
    }
  }
  return patch;
}

/** Server-wide defaults and each guild's overrides. */
export class Behaviours {
  private readonly guilds = new Map<string, Partial<Behaviour>>();

  constructor(private defaults: Behaviour = REALISTIC) {}

  /** The behaviour in force for a guild; requests that name no guild get the defaults. */
  for(guildId?: string | null): Behaviour {
    return { ...this.defaults, ...(guildId ? this.guilds.get(guildId) : undefined) };
  }

  /** Changes a guild's overrides, or the defaults when `guildId` is null. */
  patch(guildId: string | null, patch: Partial<Behaviour>): Behaviour {
    if (guildId === null) this.defaults = { ...this.defaults, ...patch };
    else this.guilds.set(guildId, { ...this.guilds.get(guildId), ...patch });
    return this.for(guildId);
  }
}
