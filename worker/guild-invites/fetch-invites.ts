import { toFreshInvite, type Fetched, type Vanity } from "../attribution";
import { discordInvites } from "../discord/invites";
import type { DiscordFailure, DiscordRest } from "../discord/rest";

export type FetchResult = ({ ok: true } & Fetched) | { ok: false; error: DiscordFailure };

/**
 * One refetch: the guild's invites, then the vanity URL's uses when the guild has
 * one (its own count is the only way to tell a vanity join from an invite join).
 * Each request's window is its own: Discord read each at an instant inside it.
 */
export async function fetchInvites(rest: DiscordRest, guildId: string, withVanity: boolean, now: () => number): Promise<FetchResult> {
  const startedAt = now();
  const listed = await discordInvites.list(rest, guildId);
  if (!listed.ok) return listed;
  const answeredAt = now();
  const invites = listed.value.map((i) => toFreshInvite(i, answeredAt));
  if (!withVanity) return { ok: true, invites, startedAt, answeredAt };
  const got = await rest.get<{ code: string | null; uses: number }>(`/guilds/${guildId}/vanity-url`);
  if (!got.ok) return got;
  const value: Vanity = got.value.code ? { code: got.value.code, uses: got.value.uses } : null;
  return { ok: true, invites, startedAt, answeredAt, vanity: { value, startedAt: answeredAt, answeredAt: now() } };
}

/** Features, for guilds first seen through an event other than GUILD_CREATE. */
export async function fetchGuildFeatures(rest: DiscordRest, guildId: string) {
  return rest.get<{ features: string[]; vanity_url_code: string | null }>(`/guilds/${guildId}`);
}
