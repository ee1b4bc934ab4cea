import { toFreshInvite, type Fetched, type Vanity } from "../attribution";
import { discordInvites } from "../discord/invites";
import type { DiscordFailure, DiscordRest } from "../discord/rest";

export type FetchResult = ({ ok: true } & Fetched) | { ok: false; error: DiscordFailure };

/**
 * One refetch: the guild's invites, and the vanity URL's uses when the guild has
 * one (its own count is the only way to tell a vanity join from an invite join),
 * read side by side so that a look takes one round trip. Each request's window is
 * its own: Discord read each at an instant inside it.
 */
export async function fetchInvites(rest: DiscordRest, guildId: string, withVanity: boolean, now: () => number): Promise<FetchResult> {
  const timed = async <T>(request: () => Promise<T>) => {
    const startedAt = now();
    const answer = await request();
    return { answer, startedAt, answeredAt: now() };
  };
  const [listed, vanity] = await Promise.all([
    timed(() => discordInvites.list(rest, guildId)),
    withVanity ? timed(() => rest.get<{ code: string | null; uses: number }>(`/guilds/${guildId}/vanity-url`)) : null,
  ]);
  if (!listed.answer.ok) return listed.answer;
  const { startedAt, answeredAt } = listed;
  const invites = listed.answer.value.map((i) => toFreshInvite(i, answeredAt));
  if (!vanity) return { ok: true, invites, startedAt, answeredAt };
  if (!vanity.answer.ok) return vanity.answer;
  const value: Vanity = vanity.answer.value.code ? { code: vanity.answer.value.code, uses: vanity.answer.value.uses } : null;
  return { ok: true, invites, startedAt, answeredAt, vanity: { value, startedAt: vanity.startedAt, answeredAt: vanity.answeredAt } };
}

/** Features, for guilds first seen through an event other than GUILD_CREATE. */
export async function fetchGuildFeatures(rest: DiscordRest, guildId: string) {
  return rest.get<{ features: string[]; vanity_url_code: string | null }>(`/guilds/${guildId}`);
}
