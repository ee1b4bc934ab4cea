import type { APIEmbed } from "discord-api-types/payloads/v10";

/** What a command answers: rendered as the interaction response or as the edit of a deferred one. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  /** Only the invoking user sees it. Admin tools answer ephemerally. */
  ephemeral?: boolean;
  /** Message components (rows of buttons); an empty list removes them. */
  components?: unknown[];
  /** Attachments: a reply with files is always delivered as the edit of a deferred response (multipart). */
  files?: Array<{ name: string; content: Blob }>;
}

const EPHEMERAL = 1 << 6;

/** No user-provided text may ping @everyone, a role or a user. */
export const NO_MENTIONS = { parse: [] as string[] };

export function messageData(reply: Reply) {
  return {
    content: reply.content,
    embeds: reply.embeds,
    flags: reply.ephemeral === false ? undefined : EPHEMERAL,
    allowed_mentions: NO_MENTIONS,
    ...(reply.components ? { components: reply.components } : {}),
  };
}

/** The edit of the message a button is on: its visibility (the ephemeral flag) cannot change. */
export function updateData(reply: Reply) {
  const { flags: _flags, ...data } = messageData(reply);
  return data;
}

/** Interaction callback types (discord-api-types enums are avoided in workerd: see DESIGN toolchain notes). */
export const Callback = {
  Pong: 1,
  ChannelMessage: 4,
  DeferredChannelMessage: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  AutocompleteResult: 8,
} as const;

export function messageResponse(reply: Reply) {
  return { type: Callback.ChannelMessage, data: messageData(reply) };
}

export function deferredResponse(ephemeral = true) {
  return { type: Callback.DeferredChannelMessage, data: { flags: ephemeral ? EPHEMERAL : undefined } };
}
