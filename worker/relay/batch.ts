/**
 * A relay request's body: one event `{id, t, d}`, or a batch of one guild's
 * consecutive events `{events: [{id, t, d}, …]}` (DESIGN.md, "Relay → Worker").
 * A batch is all or nothing: one invalid event refuses the whole request, named
 * by its index and id, so that a 202 can mean every event in it is stored.
 */
import { parseRelayEvent, type GuildEvent } from "./event";

/** The relay's batch size; a body also stays under the route's 1 MiB cap. */
export const MAX_BATCH_EVENTS = 100;

export type ParsedRelayBody = { ok: true; guildId: string; events: GuildEvent[]; batch: boolean } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseRelayBody(body: unknown, nowMs: number): ParsedRelayBody {
  if (!isObject(body) || !("events" in body)) {
    const single = parseRelayEvent(body, nowMs);
    return single.ok ? { ok: true, guildId: single.event.guildId, events: [single.event], batch: false } : single;
  }
  const { events } = body;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    return { ok: false, problem: `events must be an array of 1-${MAX_BATCH_EVENTS} events` };
  }
  const parsed: GuildEvent[] = [];
  for (const [index, raw] of events.entries()) {
    const one = parseRelayEvent(raw, nowMs);
    const id = isObject(raw) && typeof raw.id === "string" ? ` (id ${JSON.stringify(raw.id.slice(0, 200))})` : "";
    if (!one.ok) return { ok: false, problem: `events[${index}]${id}: ${one.problem}` };
    // One guild per batch: its events are stored in one object's transaction, which is what makes a 202 all or nothing.
    const guildId = parsed[0]?.guildId ?? one.event.guildId;
    if (one.event.guildId !== guildId) {
      return { ok: false, problem: `events[${index}]${id}: guild ${one.event.guildId}, but the batch is guild ${guildId}'s; send each guild's events in its own batch` };
    }
    parsed.push(one.event);
  }
  return { ok: true, guildId: parsed[0]!.guildId, events: parsed, batch: true };
}
