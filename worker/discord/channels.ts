import { NO_MENTIONS } from "../interactions/reply";
import { DiscordErrorCode } from "./invites";
import type { DiscordFailure, DiscordRest } from "./rest";

/** Text (0) and announcement (5) channels: where a bot's message with an embed and a file can go. */
const POSTABLE_TYPES = new Set([0, 5]);

export type ChannelLookup =
  | { ok: true; channel: { id: string; type: number } }
  | { ok: false; problem: "not_in_guild" }
  | { ok: false; problem: "discord"; failure: DiscordFailure };

/**
 * A channel, if it belongs to this guild: one GET /channels/{id}, whose answer
 * names its guild. A channel of another server, a deleted one (Unknown Channel)
 * or one the bot cannot see (Missing Access, as in a server it is not in) is
 * not this guild's. An interaction carries whatever channel id its sender put
 * in it, and a stored channel can vanish: every channel the bot posts in or
 * makes an invite in is checked here, when saved and again when used.
 */
export async function guildChannel(rest: DiscordRest, guildId: string, channelId: string): Promise<ChannelLookup> {
  const channel = await rest.get<{ id: string; type: number; guild_id?: string }>(`/channels/${channelId}`);
  if (channel.ok) return channel.value.guild_id === guildId ? { ok: true, channel: channel.value } : { ok: false, problem: "not_in_guild" };
  const { error } = channel;
  if (error.kind === "discord" && (error.code === DiscordErrorCode.UnknownChannel || error.code === DiscordErrorCode.MissingAccess)) {
    return { ok: false, problem: "not_in_guild" };
  }
  return { ok: false, problem: "discord", failure: error };
}

export type PostCheck =
  | { ok: true }
  | { ok: false; problem: "not_in_guild" | "not_text" | "forbidden" }
  | { ok: false; problem: "discord"; failure: DiscordFailure };

/**
 * Whether the bot can post in a guild channel, checked the only certain way:
 * by posting `notice` there. The channel must belong to the guild (a channel id
 * of another server is refused before anything is sent).
 */
export async function checkCanPost(rest: DiscordRest, guildId: string, channelId: string, notice: string): Promise<PostCheck> {
  const lookup = await guildChannel(rest, guildId, channelId);
  if (!lookup.ok) return lookup;
  if (!POSTABLE_TYPES.has(lookup.channel.type)) return { ok: false, problem: "not_text" };
  const posted = await rest.post(`/channels/${channelId}/messages`, { content: notice, allowed_mentions: NO_MENTIONS });
  if (posted.ok) return { ok: true };
  const { error } = posted;
  if (error.kind === "discord" && (error.code === DiscordErrorCode.MissingPermissions || error.code === DiscordErrorCode.MissingAccess)) {
    return { ok: false, problem: "forbidden" };
  }
  if (error.kind === "discord" && error.code === DiscordErrorCode.UnknownChannel) return { ok: false, problem: "not_in_guild" };
  return { ok: false, problem: "discord", failure: error };
}
