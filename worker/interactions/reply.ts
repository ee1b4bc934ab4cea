import type { APIEmbed } from "discord-api-types/payloads/v10";
import { fitContent, fitEmbeds } from "../discord/limits";

/** What a command answers: rendered as the interaction response or as the edit of a deferred one. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  /** Only the invoking user sees it. Admin tools answer ephemerally. */
  ephemeral?: boolean;
  /** Message components (rows of buttons); an empty list removes them. */
  components?: unknown[];
  /** Files to attach (an embed shows one with `attachment://<name>`): sent as multipart/form-data. */
  files?: MessageFile[];
}

export interface MessageFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * A message body with files, as Discord takes it: the JSON as `payload_json`,
 * each file as `files[n]` matching the `attachments` entry with id n.
 */
export function multipartMessage(json: Record<string, unknown>, files: MessageFile[]): FormData {
  const form = new FormData();
  form.append("payload_json", JSON.stringify({ ...json, attachments: files.map((f, id) => ({ id: String(id), filename: f.name })) }));
  files.forEach((f, id) => form.append(`files[${id}]`, new Blob([f.data], { type: f.contentType }), f.name));
  return form;
}

const EPHEMERAL = 1 << 6;

/** No user-provided text may ping @everyone, a role or a user. */
export const NO_MENTIONS = { parse: [] as string[] };

/** Every reply, deferred or not, passes here: Discord's limits are applied once for all commands. */
export function messageData(reply: Reply) {
  return {
    content: reply.content === undefined ? undefined : fitContent(reply.content),
    embeds: reply.embeds === undefined ? undefined : fitEmbeds(reply.embeds),
    flags: reply.ephemeral === false ? undefined : EPHEMERAL,
    allowed_mentions: NO_MENTIONS,
    ...(reply.components ? { components: reply.components } : {}),
  };
}

/** The body that edits a deferred response into `reply`: JSON, or multipart when it carries files. */
export function messageEdit(reply: Reply): Record<string, unknown> | FormData {
  const data = messageData(reply);
  return reply.files?.length ? multipartMessage(data, reply.files) : data;
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
