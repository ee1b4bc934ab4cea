/**
 * A member's names and avatar as Discord sends them (GUILD_MEMBER_ADD/UPDATE,
 * the member list), and how pages show them. Pure.
 */

export interface MemberProfile {
  username: string | null;
  globalName: string | null;
  /** The server nickname. */
  nick: string | null;
  /** The user's avatar hash; null for Discord's default avatar. */
  avatar: string | null;
  /** A legacy account's 4-digit tag; null for new usernames (Discord sends "0"). */
  discriminator: string | null;
}

/** Discord caps usernames, display names and nicknames at 32 characters; a little slack for its counting of code points. */
const NAME_MAX = 64;
const AVATAR_HASH = /^(a_)?[0-9a-f]{32}$/;
const LEGACY_TAG = /^\d{4}$/;
/** Control characters and text-direction overrides would garble every page and CSV that shows the name. */
const GARBLING = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function name(v: unknown): string | null {
  return typeof v === "string" && v.trim().length > 0 && v.length <= NAME_MAX && !GARBLING.test(v) ? v : null;
}

/**
 * The profile in a member object (`{user: {...}, nick}`). A field out of
 * Discord's ranges is read as unknown (null) rather than refusing the event:
 * a strange name must not cost the join its attribution.
 */
export function readProfile(member: Record<string, unknown>): MemberProfile {
  const user = isObject(member.user) ? member.user : {};
  const tag = typeof user.discriminator === "string" && LEGACY_TAG.test(user.discriminator) && user.discriminator !== "0000" ? user.discriminator : null;
  return {
    username: name(user.username),
    globalName: name(user.global_name),
    nick: name(member.nick),
    avatar: typeof user.avatar === "string" && AVATAR_HASH.test(user.avatar) ? user.avatar : null,
    discriminator: tag,
  };
}

/** The name a server shows: the nickname, else the display name, else the username; null when none was ever seen. */
export function displayName(p: Pick<MemberProfile, "username" | "globalName" | "nick">): string | null {
  return p.nick ?? p.globalName ?? p.username;
}

const CDN = "https://cdn.discordapp.com";

/**
 * The avatar's URL on Discord's CDN; without a hash, Discord's default avatar:
 * `embed/avatars/{(user_id >> 22) % 6}` for new usernames, `{discriminator % 5}` for legacy tags.
 */
export function avatarUrl(userId: string, p: Pick<MemberProfile, "avatar" | "discriminator">, size = 64): string {
  if (p.avatar !== null) return `${CDN}/avatars/${userId}/${p.avatar}.png?size=${size}`;
  const index = p.discriminator === null ? Number((BigInt(userId) >> 22n) % 6n) : Number(p.discriminator) % 5;
  return `${CDN}/embed/avatars/${index}.png`;
}
