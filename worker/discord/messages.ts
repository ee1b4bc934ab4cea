import type { DiscordRest, DiscordResult } from "./rest";

export interface MessageBody {
  content: string;
  /** Who may be pinged: nobody unless listed. */
  allowed_mentions: { parse: string[]; users?: string[] };
}

export const messages = {
  /** A DM: opens (or finds) the DM channel, then posts. Closed DMs answer 50007. */
  async dm(rest: DiscordRest, userId: string, body: MessageBody): Promise<DiscordResult<{ id: string }>> {
    const channel = await rest.post<{ id: string }>("/users/@me/channels", { recipient_id: userId });
    if (!channel.ok) return channel;
    return rest.post<{ id: string }>(`/channels/${channel.value.id}/messages`, body);
  },
};

/** Discord's "Cannot send messages to this user" (DMs closed, or no shared server). */
export const CANNOT_MESSAGE_USER = 50007;
