/** The gateway dispatches the relay forwards, validated before they reach a guild's Durable Object. */
import { toFreshInvite, type FreshInvite } from "../attribution";

export const RELAYED_EVENTS = ["GUILD_CREATE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE", "INVITE_CREATE", "INVITE_DELETE"] as const;
export type RelayedEventName = (typeof RELAYED_EVENTS)[number];

export interface MemberAdd {
  t: "GUILD_MEMBER_ADD";
  guildId: string;
  userId: string;
  joinedAt: number;
  /** Discord's DID_REJOIN member flag. */
  didRejoin: boolean;
  bot: boolean;
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
}

export type GuildEvent = (MemberAdd | MemberRemove | InviteCreate | InviteDelete | GuildCreate) & { id: string };

const SNOWFLAKE = /^\d{15,21}$/;
const INVITE_CODE = /^[A-Za-z0-9-]{1,64}$/;
const DID_REJOIN = 1;

type Parsed = { ok: true; event: GuildEvent } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const snowflake = (v: unknown) => (typeof v === "string" && SNOWFLAKE.test(v) ? v : null);
const time = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
const count = (v: unknown, fallback: number) => (v === undefined ? fallback : Number.isInteger(v) && (v as number) >= 0 ? (v as number) : null);

/** Turns `{id, t, d}` into a typed event, or says what is wrong with it. */
export function parseRelayEvent(body: unknown, nowMs: number): Parsed {
  if (!isObject(body)) return { ok: false, problem: "body must be a JSON object" };
  const { id, t, d } = body;
  if (typeof id !== "string" || id.length === 0 || id.length > 200) return { ok: false, problem: "id must be a string of 1-200 characters" };
  if (typeof t !== "string" || !(RELAYED_EVENTS as readonly string[]).includes(t)) return { ok: false, problem: `t must be one of ${RELAYED_EVENTS.join(", ")}` };
  if (!isObject(d)) return { ok: false, problem: "d must be an object" };
  const fail = (what: string): Parsed => ({ ok: false, problem: `${t}: ${what}` });

  if (t === "GUILD_CREATE") {
    const guildId = snowflake(d.id);
    if (!guildId) return fail("d.id must be a snowflake");
    const features = Array.isArray(d.features) ? d.features.filter((f): f is string => typeof f === "string") : [];
    const vanityCode = typeof d.vanity_url_code === "string" && INVITE_CODE.test(d.vanity_url_code) ? d.vanity_url_code : null;
    return { ok: true, event: { id, t, guildId, features, vanityCode } };
  }
  const guildId = snowflake(d.guild_id);
  if (!guildId) return fail("d.guild_id must be a snowflake");
  if (t === "GUILD_MEMBER_ADD" || t === "GUILD_MEMBER_REMOVE") {
    const user = isObject(d.user) ? d.user : {};
    const userId = snowflake(user.id);
    if (!userId) return fail("d.user.id must be a snowflake");
    if (t === "GUILD_MEMBER_REMOVE") return { ok: true, event: { id, t, guildId, userId } };
    const joinedAt = time(d.joined_at) ?? nowMs;
    const flags = typeof d.flags === "number" ? d.flags : 0;
    return { ok: true, event: { id, t, guildId, userId, joinedAt, didRejoin: (flags & DID_REJOIN) !== 0, bot: user.bot === true } };
  }
  const code = typeof d.code === "string" && INVITE_CODE.test(d.code) ? d.code : null;
  if (!code) return fail("d.code must be an invite code");
  if (t === "INVITE_DELETE") return { ok: true, event: { id, t, guildId, code } };
  const uses = count(d.uses, 0);
  const maxUses = count(d.max_uses, 0);
  const maxAge = count(d.max_age, 0);
  if (uses === null || maxUses === null || maxAge === null) return fail("uses, max_uses and max_age must be non-negative integers");
  const inviterId = isObject(d.inviter) ? snowflake(d.inviter.id) : null;
  const channelId = snowflake(d.channel_id);
  const createdAt = time(d.created_at);
  const invite = toFreshInvite(
    {
      code,
      uses,
      max_uses: maxUses,
      max_age: maxAge,
      ...(createdAt === null ? {} : { created_at: new Date(createdAt).toISOString() }),
      ...(inviterId ? { inviter: { id: inviterId } } : {}),
      ...(channelId ? { channel_id: channelId } : {}),
    },
    nowMs,
  );
  return { ok: true, event: { id, t: "INVITE_CREATE", guildId, invite } };
}
