import { NO_MENTIONS } from "../interactions/reply";
import { DiscordErrorCode } from "./invites";
import type { DiscordFailure, DiscordRest } from "./rest";

/** Text (0) and announcement (5) channels: where a bot's message with an embed and a file can go. */
const POSTABLE_TYPES = new Set([0, 5]);

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
  const channels = await rest.get<Array<{ id: string; type: number }>>(`/guilds/${guildId}/channels`);
  if (!channels.ok) return { ok: false, problem: "discord", failure: channels.error };
  const channel = channels.value.find((c) => c.id === channelId);
  if (!channel) return { ok: false, problem: "not_in_guild" };
  if (!POSTABLE_TYPES.has(channel.type)) return { ok: false, problem: "not_text" };
  const posted = await rest.post(`/channels/${channelId}/messages`, { content: notice, allowed_mentions: NO_MENTIONS });
  if (posted.ok) return { ok: true };
  const { error } = posted;
  if (error.kind === "discord" && (error.code === DiscordErrorCode.MissingPermissions || error.code === DiscordErrorCode.MissingAccess)) {
    return { ok: false, problem: "forbidden" };
  }
  if (error.kind === "discord" && error.code === DiscordErrorCode.UnknownChannel) return { ok: false, problem: "not_in_guild" };
  return { ok: false, problem: "discord", failure: error };
}
