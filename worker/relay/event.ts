/**
 * The gateway dispatches the relay forwards, validated before they reach a
 * guild's Durable Object. Every field is held to Discord's real ranges: a value
 * outside them is refused (400), never coerced, because whatever passes here is
 * stored and must later fit Postgres and sort sensibly.
 */
import { toFreshInvite, type FreshInvite } from "../attribution";
import { readProfile, type MemberProfile } from "../members/profile";

export const RELAYED_EVENTS = ["GUILD_CREATE", "GUILD_DELETE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "INVITE_CREATE", "INVITE_DELETE"] as const;
export type RelayedEventName = (typeof RELAYED_EVENTS)[number];

export interface MemberAdd {
  t: "GUILD_MEMBER_ADD";
  guildId: string;
  userId: string;
  joinedAt: number;
  /** Discord's DID_REJOIN member flag. */
  didRejoin: boolean;
  bot: boolean;
  /** The member's roles: an invite's marks may already be among them (worker/marks). */
  roles: string[];
  profile: MemberProfile;
}
/**
 * Forwarded by the relay only for recent joiners: it may bring the marks their add
 * lacked, or their names or avatar changed.
 */
export interface MemberUpdate {
  t: "GUILD_MEMBER_UPDATE";
  guildId: string;
  userId: string;
  joinedAt: number;
  roles: string[];
  profile: MemberProfile;
}
export interface MemberRemove {
  t: "GUILD_MEMBER_REMOVE";
  guildId: string;
  userId: string;
}
export interface InviteCreate {
  t: "INVITE_CREATE";
  guildId: string;
  invite: FreshInvite;
}
export interface InviteDelete {
  t: "INVITE_DELETE";
  guildId: string;
  code: string;
}
export interface GuildCreate {
  t: "GUILD_CREATE";
  guildId: string;
  features: string[];
  vanityCode: string | null;
  /** When the bot joined the guild; an unavailable guild's GUILD_CREATE does not say. */
  botJoinedAt: number | null;
}

/** The bot left the guild (was removed), or, with `unavailable`, the guild is in an outage and the bot is still in it. */
export interface GuildDelete {
  t: "GUILD_DELETE";
  guildId: string;
  unavailable: boolean;
}

export type GuildEvent = (MemberAdd | MemberUpdate | MemberRemove | InviteCreate | InviteDelete | GuildCreate | GuildDelete) & { id: string };

/** Discord's epoch (2015-01-01): no snowflake or timestamp of Discord's is older. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;
/** How far ahead of the Worker's clock Discord's may run (clock skew, not time travel). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** Postgres `integer`, the column type of `invites.uses`. */
const PG_INT_MAX = 2_147_483_647;
/** Discord's own limits on an invite (the create-invite endpoint refuses anything else). */
const MAX_USES_LIMIT = 100;
const MAX_AGE_LIMIT_S = 604_800;
/** Discord's cap on a guild's roles: no member or invite can hold more. */
const MAX_ROLES = 250;
/** Guild features: Discord has a few dozen names; the cap keeps a hostile list out of the object's state. */
const MAX_FEATURES = 100;
const FEATURE = /^[A-Z0-9_]{1,64}$/;
const MAX_ID_LENGTH = 200;

const SNOWFLAKE = /^\d{17,20}$/;
const INVITE_CODE = /^[A-Za-z0-9-]{1,64}$/;
/** ISO 8601 as Discord writes it (`2026-11-22T11:59:59.123000+00:00`), with Z or an offset. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;
const DID_REJOIN = 1;

type Parsed = { ok: true; event: GuildEvent } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** ms since the epoch for an ISO 8601 string whose every component is in range, else null. */
export function parseIsoTimestamp(value: string): number | null {
  const m = ISO_8601.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 14 * 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3)));
  // Date.UTC rolls 31 February over into March; a real date survives the round trip.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms - offsetMinutes * 60_000;
}

/**
 * Reads `d`'s fields, collecting every problem rather than stopping at the
 * first. A failed read returns a placeholder that is never used: the caller
 * refuses the event when `problems` is not empty.
 */
class FieldReader {
  readonly problems: string[] = [];

  constructor(private readonly nowMs: number) {}

  private refuse<T>(placeholder: T, problem: string): T {
    this.problems.push(problem);
    return placeholder;
  }

  private inWindow(ms: number) {
    return ms >= DISCORD_EPOCH_MS && ms <= this.nowMs + MAX_CLOCK_AHEAD_MS;
  }

  /** A snowflake: 17–20 digits whose embedded time lies between Discord's epoch and now. */
  snowflake(v: unknown, path: string): string {
    if (typeof v !== "string" || !SNOWFLAKE.test(v) || !this.inWindow(Number(BigInt(v) >> 22n) + DISCORD_EPOCH_MS)) {
      return this.refuse("", `${path} must be a Discord snowflake (17-20 digits, minted since 2015)`);
    }
    return v;
  }

  optionalSnowflake(v: unknown, path: string): string | null {
    return v === undefined || v === null ? null : this.snowflake(v, path);
  }

  /** An integer in [min, max]; absent means `fallback`. */
  integer(v: unknown, path: string, min: number, max: number, fallback: number): number {
    if (v === undefined) return fallback;
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) return this.refuse(0, `${path} must be an integer from ${min} to ${max}`);
    return v as number;
  }

  /** An ISO 8601 timestamp between Discord's epoch and a few minutes from now. */
  timestamp(v: unknown, path: string): number {
    const ms = typeof v === "string" ? parseIsoTimestamp(v) : null;
    if (ms === null || !this.inWindow(ms)) return this.refuse(0, `${path} must be an ISO 8601 time between 2015 and now`);
    return ms;
  }

  inviteCode(v: unknown, path: string): string {
    return typeof v === "string" && INVITE_CODE.test(v) ? v : this.refuse("", `${path} must be an invite code (1-64 letters, digits or dashes)`);
  }

  boolean(v: unknown, path: string): boolean {
    if (v === undefined) return false;
    return typeof v === "boolean" ? v : this.refuse(false, `${path} must be a boolean`);
  }

  /** Role ids: at most Discord's 250, each a snowflake; absent is none. */
  roleIds(v: unknown, path: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.length > MAX_ROLES) return this.refuse([], `${path} must be a list of at most ${MAX_ROLES} role ids`);
    return [...new Set(v.map((id, i) => this.snowflake(id, `${path}[${i}]`)))];
  }

  object(v: unknown, path: string): Record<string, unknown> {
    return isObject(v) ? v : this.refuse({}, `${path} must be an object`);
  }

  features(v: unknown, path: string): string[] {
    // An unavailable guild's GUILD_CREATE carries no features.
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length > MAX_FEATURES || !v.every((f) => typeof f === "string" && FEATURE.test(f))) {
      return this.refuse([], `${path} must be at most ${MAX_FEATURES} feature names`);
    }
    return v as string[];
  }
}

/**
 * Turns `{id, t, d}` into a typed event, or says what is wrong with it.
 *
 * Missing fields: `joined_at` is required (Discord always sends it, and a
 * guessed join time would misorder the guild's joins); an invite's `uses`,
 * `max_uses`, `max_age` default to 0 and a missing `created_at` to the receive
 * time, as Discord's INVITE_CREATE omits nothing and an older relay's trimmed
 * payloads did.
 */
export function parseRelayEvent(body: unknown, nowMs: number): Parsed {
  if (!isObject(body)) return { ok: false, problem: "body must be a JSON object" };
  const { id, t, d } = body;
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) {
    return { ok: false, problem: `id must be a string of 1-${MAX_ID_LENGTH} characters` };
  }
  if (typeof t !== "string" || !(RELAYED_EVENTS as readonly string[]).includes(t)) return { ok: false, problem: `t must be one of ${RELAYED_EVENTS.join(", ")}` };
  if (!isObject(d)) return { ok: false, problem: "d must be an object" };
  const read = new FieldReader(nowMs);
  const event = readEvent(read, id, t as RelayedEventName, d, nowMs);
  return read.problems.length > 0 ? { ok: false, problem: `${t}: ${read.problems.join("; ")}` } : { ok: true, event };
}

function readEvent(read: FieldReader, id: string, t: RelayedEventName, d: Record<string, unknown>, nowMs: number): GuildEvent {
  if (t === "GUILD_CREATE") {
    const guildId = read.snowflake(d.id, "d.id");
    const features = read.features(d.features, "d.features");
    const vanityCode = d.vanity_url_code === undefined || d.vanity_url_code === null ? null : read.inviteCode(d.vanity_url_code, "d.vanity_url_code");
    const botJoinedAt = d.joined_at === undefined || d.joined_at === null ? null : read.timestamp(d.joined_at, "d.joined_at");
    return { id, t, guildId, features, vanityCode, botJoinedAt };
  }
  if (t === "GUILD_DELETE") return { id, t, guildId: read.snowflake(d.id, "d.id"), unavailable: read.boolean(d.unavailable, "d.unavailable") };
  const guildId = read.snowflake(d.guild_id, "d.guild_id");
  if (t === "GUILD_MEMBER_ADD" || t === "GUILD_MEMBER_UPDATE" || t === "GUILD_MEMBER_REMOVE") {
    const user = read.object(d.user, "d.user");
    const userId = read.snowflake(user.id, "d.user.id");
    if (t === "GUILD_MEMBER_REMOVE") return { id, t, guildId, userId };
    const joinedAt = read.timestamp(d.joined_at, "d.joined_at");
    const roles = read.roleIds(d.roles, "d.roles");
    if (t === "GUILD_MEMBER_UPDATE") return { id, t, guildId, userId, joinedAt, roles, profile: readProfile(d) };
    const flags = read.integer(d.flags, "d.flags", 0, PG_INT_MAX, 0);
    return { id, t, guildId, userId, joinedAt, didRejoin: (flags & DID_REJOIN) !== 0, bot: read.boolean(user.bot, "d.user.bot"), roles, profile: readProfile(d) };
  }
  const code = read.inviteCode(d.code, "d.code");
  if (t === "INVITE_DELETE") return { id, t, guildId, code };
  const uses = read.integer(d.uses, "d.uses", 0, PG_INT_MAX, 0);
  const maxUses = read.integer(d.max_uses, "d.max_uses", 0, MAX_USES_LIMIT, 0);
  const maxAge = read.integer(d.max_age, "d.max_age", 0, MAX_AGE_LIMIT_S, 0);
  const inviter = d.inviter === undefined || d.inviter === null ? null : read.object(d.inviter, "d.inviter");
  const inviterId = inviter === null ? null : read.snowflake(inviter.id, "d.inviter.id");
  const channelId = read.optionalSnowflake(d.channel_id, "d.channel_id");
  const createdAt = d.created_at === undefined ? null : read.timestamp(d.created_at, "d.created_at");
  const roleIds = read.roleIds(d.role_ids, "d.role_ids");
  const invite = toFreshInvite(
    {
      code,
      uses,
      max_uses: maxUses,
      max_age: maxAge,
      ...(createdAt === null ? {} : { created_at: new Date(createdAt).toISOString() }),
      ...(inviterId ? { inviter: { id: inviterId } } : {}),
      ...(channelId ? { channel_id: channelId } : {}),
      role_ids: roleIds,
    },
    nowMs,
  );
  return { id, t, guildId, invite };
}
