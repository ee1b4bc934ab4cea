import { guildChannel } from "./channels";
import type { APIEmbed } from "discord-api-types/payloads/v10";
import { fitContent, fitEmbeds } from "./limits";
import type { DiscordFailure, DiscordRest, DiscordResult } from "./rest";

export interface MessageBody {
  content: string;
  /** Who may be pinged: nobody unless listed. */
  allowed_mentions: { parse: string[]; users?: string[] };
  embeds?: APIEmbed[];
  components?: unknown[];
}

/** A stored channel that is not (or no longer) the guild's: nothing was posted. */
export interface ForeignChannel {
  kind: "not_in_guild";
  channelId: string;
}

const fitted = (body: MessageBody): MessageBody => ({ ...body, content: fitContent(body.content), ...(body.embeds ? { embeds: fitEmbeds(body.embeds) } : {}) });

/** The bot's own messages (not interaction replies), fitted to Discord's limits. */
export const messages = {
  /** A DM: opens (or finds) the DM channel, then posts. Closed DMs answer 50007. */
  async dm(rest: DiscordRest, userId: string, body: MessageBody): Promise<DiscordResult<{ id: string }>> {
    const channel = await rest.post<{ id: string }>("/users/@me/channels", { recipient_id: userId });
    if (!channel.ok) return channel;
    return rest.post<{ id: string }>(`/channels/${channel.value.id}/messages`, fitted(body));
  },
  /** A post in a channel of the guild, after checking it still is one: a stored channel can vanish, or be another server's. */
  async post(rest: DiscordRest, guildId: string, channelId: string, body: MessageBody): Promise<{ ok: true; value: { id: string } } | { ok: false; error: DiscordFailure | ForeignChannel }> {
    const lookup = await guildChannel(rest, guildId, channelId);
    if (!lookup.ok) return { ok: false, error: lookup.problem === "discord" ? lookup.failure : { kind: "not_in_guild", channelId } };
    return rest.post<{ id: string }>(`/channels/${channelId}/messages`, fitted(body));
  },
  /** Edits one of the bot's own messages in place (an alert as its raid goes on). */
  edit: (rest: DiscordRest, channelId: string, messageId: string, body: MessageBody) =>
    rest.patch<{ id: string }>(`/channels/${channelId}/messages/${messageId}`, fitted(body)),
};

/** Discord's "Cannot send messages to this user" (DMs closed, or no shared server). */
export const CANNOT_MESSAGE_USER = 50007;
