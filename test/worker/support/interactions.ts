import { exports } from "cloudflare:workers";
import { fakeDiscord } from "./fake-discord";
import { inject } from "vitest";
import {
  commandInteraction,
  componentInteraction,
  inviteInteraction as buildInteraction,
  opt,
  type CommandOption,
} from "../../../simulator/interaction-payload";

let signingKey: Promise<CryptoKey> | undefined;
const key = () =>
  (signingKey ??= crypto.subtle.importKey("jwk", inject("discordPrivateKeyJwk") as unknown as JsonWebKey, { name: "Ed25519" }, false, ["sign"]));

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Signs like Discord: Ed25519 over timestamp + body, with the test key pair from the global setup. */
export async function signedRequest(body: string, options: { timestamp?: number; signature?: string } = {}) {
  return exports.default.fetch(await signedInteraction(body, options));
}

/** The signed POST /interactions request itself, for a test that hands it to the Worker's module in its own isolate. */
export async function signedInteraction(body: string, options: { timestamp?: number; signature?: string } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    options.signature ?? hex(await crypto.subtle.sign("Ed25519", await key(), new TextEncoder().encode(timestamp + body)));
  return new Request("https://bot.test/interactions", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp },
    body,
  });
}

export interface CommandOptions {
  guildId: string;
  channelId: string;
  userId?: string;
  permissions?: string;
  /** The invoking member's role ids. */
  roles?: string[];
  resolved?: Record<string, unknown>;
  command?: string;
  locale?: string;
  guildLocale?: string;
}

let counter = 0;
function interactionId() {
  counter++;
  return `${(BigInt(Date.now() - 1420070400000) << 22n) | BigInt(counter)}`;
}

/** An APPLICATION_COMMAND (or, with type 4, AUTOCOMPLETE) for `/invite <sub> ...` as Discord sends it. */
export function inviteInteraction(sub: string, options: CommandOption[], ctx: CommandOptions, type = 2) {
  return buildInteraction(sub, options, {
    ...ctx,
    id: interactionId(),
    applicationId: "100000000000000001",
    userId: ctx.userId ?? "200000000000000001",
    type,
  });
}

export interface InteractionReply {
  type: number;
  data?: {
    content?: string;
    embeds?: Array<{ title?: string; description?: string }>;
    flags?: number;
    allowed_mentions?: { parse: string[] };
    choices?: Array<{ name: string; value: string }>;
    components?: Array<{ type: number; components: Array<{ type: number; custom_id?: string; label?: string; disabled?: boolean }> }>;
  };
}

export const contextOf = (ctx: CommandOptions, type: number) => ({
  ...ctx,
  id: interactionId(),
  applicationId: "100000000000000001",
  userId: ctx.userId ?? "200000000000000001",
  type,
});

/** Sends `/<name> <sub>` (`/invites show`, `/invite settings`) and returns the answer, waiting for a deferred one. */
export async function runCommandFinal(name: string, sub: string, options: CommandOption[], ctx: CommandOptions) {
  const interaction = commandInteraction(name, sub, options, contextOf(ctx, 2));
  const response = await signedRequest(JSON.stringify(interaction));
  const body = (await response.json()) as InteractionReply;
  return { status: response.status, body: { ...body, data: await finalReply(body, interaction.token) }, interaction };
}

/** Presses a button with this custom_id; answers the UPDATE_MESSAGE (or the edit after a deferred one). */
export async function pressButton(customId: string, ctx: CommandOptions) {
  const interaction = componentInteraction(customId, contextOf(ctx, 3));
  const response = await signedRequest(JSON.stringify(interaction));
  const body = (await response.json()) as InteractionReply;
  return { status: response.status, body: { ...body, data: body.type === 6 ? await finalReply({ ...body, type: 5 }, interaction.token) : (body.data ?? {}) } };
}

/** Sends `/invite <sub>` and returns Discord's view of the answer. */
export async function runInvite(sub: string, options: CommandOption[], ctx: CommandOptions) {
  const interaction = inviteInteraction(sub, options, ctx);
  const response = await signedRequest(JSON.stringify(interaction));
  return { status: response.status, body: (await response.json()) as InteractionReply, interaction };
}

/** The reply an admin finally reads: the immediate one, or the follow-up of a deferred one. */
export async function finalReply(body: InteractionReply, token: string): Promise<NonNullable<InteractionReply["data"]>> {
  if (body.type !== 5) return body.data ?? {};
  for (let i = 0; i < 150; i++) {
    const [message] = await fakeDiscord.webhookMessages(token);
    if (message) return message as NonNullable<InteractionReply["data"]>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the deferred reply never arrived");
}

/** `runInvite`, waiting for the follow-up when the command was deferred (Discord's latency can take it past the deadline). */
export async function runInviteFinal(sub: string, options: CommandOption[], ctx: CommandOptions) {
  const { status, body, interaction } = await runInvite(sub, options, ctx);
  return { status, body: { ...body, data: await finalReply(body, interaction.token) }, interaction };
}

/** The text an admin reads: content plus embed title and description. */
export function replyText(reply: InteractionReply["data"]) {
  return [reply?.content, ...(reply?.embeds ?? []).flatMap((e) => [e.title, e.description])].filter(Boolean).join("\n");
}

export { opt };
