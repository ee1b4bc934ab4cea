/** DM channels and channel messages: how the bot reaches members. */
import * as errors from "../errors";
import { channelJson, messageJson } from "../objects";
import { json, type Route } from "../router";
import type { FakeDiscordState } from "../state";

export interface MessageBody {
  content?: string | null;
  embeds?: unknown[] | null;
  components?: unknown[] | null;
  flags?: number | null;
  sticker_ids?: unknown[] | null;
  poll?: unknown;
}

/** Discord refuses a message with nothing to show. */
export function assertNotEmpty(body: MessageBody): void {
  if (!body.content && !body.embeds?.length && !body.components?.length && !body.sticker_ids?.length && !body.poll) {
    throw errors.emptyMessage();
  }
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
      method: "POST",
      template: "/channels/{channel_id}/messages",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      handler: ({ params, body }) => {
        const channel = state.channel(params.channel_id!);
        const input = (body ?? {}) as MessageBody;
        assertNotEmpty(input);
        if (!channel.bot_can_send) throw errors.missingPermissions();
        if (channel.type !== 0 && channel.type !== 1 && channel.type !== 5) throw errors.cannotSendInNonText();
        if (channel.type === 1 && state.users.get(channel.recipient_id!)?.dms_closed) throw errors.cannotMessageUser();
        const message = state.addMessage({
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
  ];
}
