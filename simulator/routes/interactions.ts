/**
 * Interaction responses: the callback endpoint and the interaction webhook
 * (@original and follow-ups). No bot token: the interaction token authorises.
 */
import * as errors from "../errors";
import { messageJson } from "../objects";
import { json, noContent, type Route } from "../router";
import type { FakeDiscordState, FakeMessage } from "../state";
import { assertNotEmpty, attachmentsOf, type MessageBody } from "./messages";

/** Interaction callback types that put a message on screen. */
const CHANNEL_MESSAGE_WITH_SOURCE = 4;
const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5;
const UPDATE_MESSAGE = 7;
/** The "Bot is thinking…" placeholder a deferred response shows. */
const LOADING_FLAG = 128;

function content(body: MessageBody): Pick<FakeMessage, "content" | "embeds" | "components" | "flags" | "attachments"> {
  return { content: body.content ?? "", embeds: body.embeds ?? [], components: body.components ?? [], flags: body.flags ?? 0 };
}

export function interactionRoutes(state: FakeDiscordState): Route[] {
  return [
    {
      method: "POST",
      template: "/interactions/{interaction_id}/{interaction_token}/callback",
      auth: "none",
      inSpec: true,
      major: "interaction_token",
      handler: ({ params, body }) => {
        const token = params.interaction_token!;
        const callback = (body ?? {}) as { type?: number; data?: MessageBody };
        state.interaction(token).callbacks.push(callback);
        const data = callback.data ?? {};
        if (callback.type === CHANNEL_MESSAGE_WITH_SOURCE || callback.type === UPDATE_MESSAGE) {
          state.addInteractionMessage(token, params.interaction_id!, content(data), true);
        } else if (callback.type === DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE) {
          state.addInteractionMessage(token, params.interaction_id!, { ...content({}), flags: (data.flags ?? 0) | LOADING_FLAG }, true);
        }
        return noContent();
      },
    },
    {
      method: "POST",
      template: "/webhooks/{webhook_id}/{webhook_token}",
      auth: "none",
      inSpec: true,
      major: "webhook_token",
      handler: ({ params, body }) => {
        const input = (body ?? {}) as MessageBody;
        assertNotEmpty(input);
        return json(messageJson(state, state.addInteractionMessage(params.webhook_token!, params.webhook_id!, content(input), false)));
      },
    },
    {
      method: "GET",
      template: "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
      auth: "none",
      inSpec: true,
      major: "webhook_token",
      handler: ({ params }) => {
        const original = state.interactions.get(params.webhook_token!)?.original;
        if (!original) throw errors.unknownMessage();
        return json(messageJson(state, original));
      },
    },
    {
      method: "PATCH",
      template: "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
      auth: "none",
      inSpec: true,
      major: "webhook_token",
      handler: ({ params, body, files }) => {
        const input = (body ?? {}) as MessageBody;
        const token = params.webhook_token!;
        const attachments = attachmentsOf(state, input, files);
        // The initial response usually travels in the HTTP reply to Discord, which the fake never sees:
        // editing @original then creates it.
        const original = state.interactions.get(token)?.original;
        if (!original) return json(messageJson(state, state.addInteractionMessage(token, params.webhook_id!, { ...content(input), attachments }, true)));
        if (files.length > 0 || input.attachments !== undefined) original.attachments = attachments;
        if (input.content !== undefined) original.content = input.content ?? "";
        if (input.embeds !== undefined) original.embeds = input.embeds ?? [];
        if (input.components !== undefined) original.components = input.components ?? [];
        original.flags &= ~LOADING_FLAG;
        original.edited_timestamp = new Date(state.now()).toISOString();
        return json(messageJson(state, original));
      },
    },
  ];
}
