import { exports } from "cloudflare:workers";
import { inject } from "vitest";

let signingKey: Promise<CryptoKey> | undefined;
const key = () =>
  (signingKey ??= crypto.subtle.importKey("jwk", inject("discordPrivateKeyJwk") as unknown as JsonWebKey, { name: "Ed25519" }, false, ["sign"]));

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Signs like Discord: Ed25519 over timestamp + body, with the test key pair from the global setup. */
export async function signedRequest(body: string, options: { timestamp?: number; signature?: string } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    options.signature ?? hex(await crypto.subtle.sign("Ed25519", await key(), new TextEncoder().encode(timestamp + body)));
  return exports.default.fetch("https://bot.test/interactions", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp },
    body,
  });
}

export const MANAGE_GUILD_PERMISSIONS = String(1 << 5);

export interface CommandOptions {
  guildId: string;
  channelId: string;
  userId?: string;
  permissions?: string;
  resolved?: Record<string, unknown>;
}

let counter = 0;
export function interactionId() {
  counter++;
  return `${BigInt(Date.now() - 1420070400000) << 22n | BigInt(counter)}`;
}

/** An APPLICATION_COMMAND (or AUTOCOMPLETE) payload for `/invite <sub> ...`, shaped as Discord sends it. */
export function inviteInteraction(
  sub: string,
  options: Array<{ name: string; type: number; value: string | number; focused?: boolean }>,
  ctx: CommandOptions,
  type = 2,
) {
  const id = interactionId();
  const userId = ctx.userId ?? "200000000000000001";
  return {
    id,
    type,
    application_id: "100000000000000001",
    token: `token-${id}`,
    version: 1,
    guild_id: ctx.guildId,
    channel_id: ctx.channelId,
    channel: { id: ctx.channelId, type: 0 },
    locale: "en-US",
    guild_locale: "en-US",
    app_permissions: "2248473465835073",
    entitlements: [],
    authorizing_integration_owners: { "0": ctx.guildId },
    context: 0,
    member: {
      user: { id: userId, username: "admin", discriminator: "0", global_name: "Admin", avatar: null },
      roles: [],
      permissions: ctx.permissions ?? MANAGE_GUILD_PERMISSIONS,
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: {
      id: "300000000000000001",
      name: "invite",
      type: 1,
      options: [{ name: sub, type: 1, options }],
      ...(ctx.resolved ? { resolved: ctx.resolved } : {}),
    },
  };
}

export interface InteractionReply {
  type: number;
  data?: {
    content?: string;
    embeds?: Array<{ title?: string; description?: string }>;
    flags?: number;
    allowed_mentions?: { parse: string[] };
    choices?: Array<{ name: string; value: string }>;
  };
}

/** Sends `/invite <sub>` and returns Discord's view of the answer. */
export async function runInvite(
  sub: string,
  options: Array<{ name: string; type: number; value: string | number; focused?: boolean }>,
  ctx: CommandOptions,
) {
  const interaction = inviteInteraction(sub, options, ctx);
  const response = await signedRequest(JSON.stringify(interaction));
  return { status: response.status, body: (await response.json()) as InteractionReply, interaction };
}

/** The text an admin reads: content plus embed title and description. */
export function replyText(reply: InteractionReply["data"]) {
  return [reply?.content, ...(reply?.embeds ?? []).flatMap((e) => [e.title, e.description])].filter(Boolean).join("\n");
}

export const opt = {
  str: (name: string, value: string, focused?: boolean) => ({ name, type: 3, value, ...(focused ? { focused } : {}) }),
  int: (name: string, value: number) => ({ name, type: 4, value }),
  user: (name: string, value: string) => ({ name, type: 6, value }),
  channel: (name: string, value: string) => ({ name, type: 7, value }),
};
