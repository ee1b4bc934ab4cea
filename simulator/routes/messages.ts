/** Channels (a lookup, DM channels) and channel messages: how the bot reaches members. */
import * as errors from "../errors";
import { channelJson, messageJson } from "../objects";
import { json, type Route } from "../router";
import { snowflake } from "../ids";
import type { UploadedFile } from "../router";
import type { FakeAttachment, FakeDiscordState } from "../state";

/** How long Discord remembers a nonce for enforce_nonce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

export interface MessageBody {
  attachments?: Array<{ id: string | number; filename?: string }> | null;
  nonce?: string | number | null;
  enforce_nonce?: boolean | null;
  content?: string | null;
  embeds?: unknown[] | null;
  components?: unknown[] | null;
  flags?: number | null;
  sticker_ids?: unknown[] | null;
  poll?: unknown;
}

/** Discord refuses a message with nothing to show (files count). */
export function assertNotEmpty(body: MessageBody, files: UploadedFile[] = []): void {
  if (!body.content && !body.embeds?.length && !body.components?.length && !body.sticker_ids?.length && !body.poll && !files.length) {
    throw errors.emptyMessage();
  }
}

/** Discord's cap on a bot's upload without boosts. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * The uploads of a multipart message: `files[n]` is the `attachments` entry with id n,
 * whose filename it takes. A file without its `files[n]` field name, or too large, is refused.
 */
export function attachmentsOf(state: FakeDiscordState, body: MessageBody, files: UploadedFile[]): FakeAttachment[] {
  return files.map((file) => {
    const index = /^files\[(\d+)\]$/.exec(file.field)?.[1];
    if (index === undefined) throw errors.invalidForm({ [file.field]: [{ code: "BASE_TYPE_INVALID", message: "Files must be sent as files[n]." }] });
    if (file.data.length > MAX_UPLOAD_BYTES) throw errors.entityTooLarge();
    const described = body.attachments?.find((a) => String(a.id) === index);
    return { id: snowflake(state.now()), filename: described?.filename ?? file.filename, content_type: file.contentType, data: file.data };
  });
}

export function messageRoutes(state: FakeDiscordState): Route[] {
  return [
    {
      method: "POST",
      template: "/users/@me/channels",
      auth: "bot",
      inSpec: true,
      handler: ({ body }) => {
        const recipient = (body as { recipient_id?: string } | undefined)?.recipient_id;
        if (!recipient) throw errors.invalidForm({ recipient_id: [{ code: "BASE_TYPE_REQUIRED", message: "This field is required" }] });
        return json(channelJson(state, state.dmChannel(recipient)));
      },
    },
    {
      method: "GET",
      template: "/channels/{channel_id}",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      // A guild channel carries its guild_id: how the bot tells another server's channel from its own.
      handler: ({ params }) => json(channelJson(state, state.botChannel(params.channel_id!))),
    },
    {
      method: "GET",
      template: "/channels/{channel_id}/messages",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      // Newest first, at most `limit` (1-100, default 50), as Discord pages history.
      handler: ({ params, query }) => {
        const channel = state.botChannel(params.channel_id!);
        const limit = Number(query.get("limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw errors.invalidForm({ limit: [errors.numberTooBig(100)] });
        const history = [...(state.messages.get(channel.id) ?? [])].reverse().slice(0, limit);
        return json(history.map((m) => messageJson(state, m)));
      },
    },
    {
      method: "POST",
      template: "/channels/{channel_id}/messages",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      handler: ({ params, body, files }) => {
        const channel = state.botChannel(params.channel_id!);
        const input = (body ?? {}) as MessageBody;
        assertNotEmpty(input, files);
        if (!channel.bot_can_send) throw errors.missingPermissions();
        if (channel.type !== 0 && channel.type !== 1 && channel.type !== 5) throw errors.cannotSendInNonText();
        if (channel.type === 1 && state.users.get(channel.recipient_id!)?.dms_closed) throw errors.cannotMessageUser();
        // enforce_nonce: the same nonce in the channel within a few minutes answers the message already sent.
        if (input.enforce_nonce && input.nonce !== undefined && input.nonce !== null) {
          const earlier = (state.messages.get(channel.id) ?? []).find(
            (m) => m.nonce === String(input.nonce) && m.author_id === state.botUser.id && state.now() - Date.parse(m.timestamp) < NONCE_WINDOW_MS,
          );
          if (earlier) return json(messageJson(state, earlier));
        }
        const message = state.addMessage({
          attachments: attachmentsOf(state, input, files),
          ...(input.nonce !== undefined && input.nonce !== null ? { nonce: String(input.nonce) } : {}),
          channel_id: channel.id,
          author_id: state.botUser.id,
          type: 0,
          content: input.content ?? "",
          embeds: input.embeds ?? [],
          components: input.components ?? [],
          flags: input.flags ?? 0,
        });
        return json(messageJson(state, message));
      },
    },
    {
      method: "PATCH",
      template: "/channels/{channel_id}/messages/{message_id}",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      // A bot edits only its own messages; the fields given replace the message's, the others stay.
      handler: ({ params, body }) => {
        const channel = state.botChannel(params.channel_id!);
        const message = (state.messages.get(channel.id) ?? []).find((m) => m.id === params.message_id);
        if (!message) throw errors.unknownMessage();
        if (message.author_id !== state.botUser.id) throw errors.cannotEditOthersMessage();
        const input = (body ?? {}) as MessageBody;
        if (input.content !== undefined) message.content = input.content ?? "";
        if (input.embeds !== undefined) message.embeds = input.embeds ?? [];
        if (input.components !== undefined) message.components = input.components ?? [];
        assertNotEmpty(message);
        message.edited_timestamp = new Date(state.now()).toISOString();
        return json(messageJson(state, message));
      },
    },
  ];
}
