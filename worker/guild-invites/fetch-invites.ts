import { toFreshInvite, type FreshInvite, type Vanity } from "../attribution";
import { discordInvites } from "../discord/invites";
import type { DiscordFailure, DiscordRest } from "../discord/rest";

export type FetchResult =
  | { ok: true; invites: FreshInvite[]; vanity: Vanity; startedAt: number; answeredAt: number }
  | { ok: false; error: DiscordFailure };

/**
 * One refetch for every join waiting: the guild's invites, plus the vanity
 * URL's uses when the guild has one (its own count is the only way to tell a
 * vanity join from an invite join).
 */
export async function fetchInvites(rest: DiscordRest, guildId: string, withVanity: boolean, now: () => number): Promise<FetchResult> {
  const startedAt = now();
  const listed = await discordInvites.list(rest, guildId);
  if (!listed.ok) return listed;
  let vanity: Vanity = null;
  if (withVanity) {
    const got = await rest.get<{ code: string | null; uses: number }>(`/guilds/${guildId}/vanity-url`);
    if (!got.ok) return got;
    vanity = got.value.code ? { code: got.value.code, uses: got.value.uses } : null;
  }
  const answeredAt = now();
  return { ok: true, invites: listed.value.map((i) => toFreshInvite(i, answeredAt)), vanity, startedAt, answeredAt };
}

/** Features, for guilds first seen through an event other than GUILD_CREATE. */
export async function fetchGuildFeatures(rest: DiscordRest, guildId: string) {
  return rest.get<{ features: string[]; vanity_url_code: string | null }>(`/guilds/${guildId}`);
}
