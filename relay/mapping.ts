/**
 * Gateway dispatch → relay event (`{id, t, d}` of DESIGN.md's relay protocol).
 *
 * The id is `<session_id>:<seq>`. A gateway session numbers its dispatches
 * with a strictly increasing `s`, and a RESUME replays missed dispatches with
 * the same session and the same `s`, so a replayed event (after a reconnect,
 * or after the relay restarts and resumes its persisted session) gets the id
 * it had the first time and the Worker's dedupe drops it. A content hash would
 * be wrong here: a GUILD_CREATE after a fresh IDENTIFY can be byte-identical to
 * the previous one yet must reach the Worker, because it is the signal to
 * reconcile the invite cache after events were lost with the old session; and
 * session ids are random per session, so ids never collide across sessions.
 */
export const FORWARDED_EVENTS = new Set([
  "GUILD_CREATE",
  // The bot was removed (or, with `unavailable: true`, the guild is in an outage).
  "GUILD_DELETE",
  "GUILD_MEMBER_ADD",
  // Only for recent joiners (isRecentJoiner): it may bring the marks their add lacked.
  "GUILD_MEMBER_UPDATE",
  "GUILD_MEMBER_REMOVE",
  "INVITE_CREATE",
  "INVITE_DELETE",
]);

export interface DispatchPayload {
  t: string;
  s: number;
  d: unknown;
}

export interface RelayEvent {
  id: string;
  t: string;
  d: unknown;
}

/** Spool partition for events that carry no guild id; none of the forwarded events should. */
export const NO_GUILD = "_";

export function eventId(sessionId: string, seq: number): string {
  return `${sessionId}:${seq}`;
}

/** A GUILD_MEMBER_UPDATE is forwarded only for members who joined this recently (Discord's clock). */
export const RECENT_JOIN_MS = 10 * 60_000;

/**
 * Whether a GUILD_MEMBER_UPDATE is about a member who joined within RECENT_JOIN_MS of
 * `now`. Discord sends every role and nickname change of every member: only a recent
 * joiner's can carry an invite's marks, the rest would be noise for the Worker.
 */
export function isRecentJoiner(d: unknown, now: number): boolean {
  const joinedAt = isRecord(d) && typeof d.joined_at === "string" ? Date.parse(d.joined_at) : NaN;
  return Number.isFinite(joinedAt) && now - joinedAt <= RECENT_JOIN_MS;
}

export function toRelayEvent(payload: DispatchPayload, sessionId: string, now = Date.now()): RelayEvent | null {
  if (!FORWARDED_EVENTS.has(payload.t)) return null;
  if (payload.t === "GUILD_MEMBER_UPDATE" && !isRecentJoiner(payload.d, now)) return null;
  const d = payload.t === "GUILD_CREATE" ? trimGuild(payload.d) : payload.d;
  return { id: eventId(sessionId, payload.s), t: payload.t, d };
}

/** The Worker needs a guild's identity, vanity code and when the bot joined it, not its member list or channels. */
function trimGuild(d: unknown): unknown {
  if (!isRecord(d)) return d;
  const trimmed: Record<string, unknown> = { id: d.id, features: d.features, vanity_url_code: d.vanity_url_code, joined_at: d.joined_at };
  if ("unavailable" in d) trimmed.unavailable = d.unavailable;
  return trimmed;
}

/** The guild an event belongs to: events of one guild are delivered in order. */
export function guildOf(event: RelayEvent): string {
  if (!isRecord(event.d)) return NO_GUILD;
  const id = event.t === "GUILD_CREATE" || event.t === "GUILD_DELETE" ? event.d.id : event.d.guild_id;
  return typeof id === "string" && /^\d+$/.test(id) ? id : NO_GUILD;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
