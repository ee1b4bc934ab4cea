import { inject } from "vitest";
import type { Behaviour } from "../../../simulator/behaviour";

/**
 * The bot's permissions without Manage Roles (View Channel's bits and Create Invite, Manage
 * Server, Send Messages): its invites carry no mark (worker/marks), so a test sees what the
 * counts alone can say. Tests of marks use the default permissions.
 */
export const UNMARKED_BOT = String((1n << 0n) | (1n << 5n) | (1n << 10n) | (1n << 11n));

/** Drives the fake Discord through its HTTP control API (tests run in workerd, it runs in Node). */
const origin = () => new URL(inject("discordApiBase")).origin;

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${origin()}/_fake${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`fake Discord ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface FakeGuild {
  id: string;
  name: string;
  owner_id: string;
  channels: Array<{ id: string; name: string; type: number }>;
}

export interface FakeInvite {
  code: string;
  uses: number;
  max_uses: number;
}

export const fakeDiscord = {
  createGuild: (body: {
    name: string;
    features?: string[];
    vanity_url_code?: string;
    members?: unknown[];
    channels?: Array<{ name: string; type?: number; bot_can_send?: boolean }>;
    bot_permissions?: string;
    /** A server the bot is not in: its channels answer the bot 403 Missing Access. */
    bot_absent?: boolean;
  }) =>
    control<FakeGuild>("POST", "/guilds", body),
  createInvite: (guildId: string, body: { code?: string; channel_id?: string; inviter_id?: string; uses?: number; max_uses?: number; max_age?: number; role_ids?: string[] } = {}) =>
    control<FakeInvite>("POST", `/guilds/${guildId}/invites`, body),
  join: (code: string, user: { id: string; username: string }) => control<unknown>("POST", `/invites/${code}/join`, { user }),
  vanityJoin: (guildId: string, user: { id: string; username: string }) =>
    control<unknown>("POST", `/guilds/${guildId}/vanity/join`, { user }),
  /** Joins that raise no invite's uses. */
  discoveryJoin: (guildId: string, user: { id: string; username: string }) =>
    control<unknown>("POST", `/guilds/${guildId}/discovery/join`, { user }),
  oauthJoin: (guildId: string, user: { id: string; username: string }) => control<unknown>("POST", `/guilds/${guildId}/oauth/join`, { user }),
  /** Overrides the guild's latencies or member-search switch; answers the behaviour now in force. */
  behaviour: (guildId: string, patch: Partial<Behaviour>) => control<Behaviour>("PATCH", `/guilds/${guildId}/behaviour`, patch),
  /** An admin removes the bot (or, `unavailable`, the guild has an outage): a GUILD_DELETE, and Missing Access after a removal. */
  removeBot: (guildId: string, options: { unavailable?: boolean } = {}) => control<unknown>("POST", `/guilds/${guildId}/bot/remove`, options),
  /** The bot is added back: a GUILD_CREATE. */
  addBot: (guildId: string) => control<unknown>("POST", `/guilds/${guildId}/bot/add`),
  leave: (guildId: string, userId: string) => control<unknown>("DELETE", `/guilds/${guildId}/members/${userId}`),
  failures: (body: { method?: string; path_prefix?: string; count: number; status: number }) => control<unknown>("POST", "/failures", body),
  /** Discord's edge refuses API requests (under `path_prefix`) for `seconds`: Cloudflare's 1015 page, or a bare 429. */
  edgeRefusal: (body: { mode: "html_1015" | "bare_429"; seconds: number; path_prefix?: string }) => control<unknown>("POST", "/edge-refusal", body),
  rateLimit: (body: { method?: string; path_prefix?: string; count: number; retry_after: number }) =>
    control<unknown>("POST", "/rate-limit", body),
  requests: (pathPrefix: string) =>
    control<Array<{ method: string; path: string; body: unknown; status: number; time: string }>>(
      "GET",
      `/requests?path_prefix=${encodeURIComponent(pathPrefix)}`,
    ),
  /** The bot's DMs to a user, as the user sees them. */
  dms: (userId: string) => control<Array<{ content: string }>>("GET", `/users/${userId}/dms`),
  channelMessages: (channelId: string) => control<Array<Record<string, unknown> & { id: string; content: string }>>("GET", `/channels/${channelId}/messages`),
  /** The files uploaded with a message, as text. */
  messageFiles: async (channelId: string, messageId: string) => {
    const files = await control<Array<{ filename: string; base64: string }>>("GET", `/channels/${channelId}/messages/${messageId}/attachments`);
    return files.map((f) => ({ filename: f.filename, content: new TextDecoder().decode(Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))) }));
  },
  /** The files of an interaction's messages (a command's attachment), as text. */
  webhookFiles: async (token: string) => {
    const messages = await control<Array<{ id: string; channel_id: string }>>("GET", `/webhooks/${token}`);
    return (await Promise.all(messages.map((m) => fakeDiscord.messageFiles(m.channel_id, m.id)))).flat();
  },
  webhookMessages: (token: string) => control<Array<Record<string, unknown>>>("GET", `/webhooks/${token}`),
  createRole: (guildId: string, body: { name: string; position?: number; permissions?: string }) =>
    control<{ id: string; name: string; position: number }>("POST", `/guilds/${guildId}/roles`, body),
  /** Moves the bot's own role or changes its permissions, as the server owner would. */
  botRole: (guildId: string, patch: { position?: number; permissions?: string }) => control<unknown>("PATCH", `/guilds/${guildId}/bot-role`, patch),
  memberRoles: async (guildId: string, userId: string) => {
    const response = await fetch(`${inject("discordApiBase")}/guilds/${guildId}/members/${userId}`, { headers: { Authorization: "Bot test" } });
    return ((await response.json()) as { roles: string[] }).roles;
  },
  guildInvites: async (guildId: string) => {
    const response = await fetch(`${inject("discordApiBase")}/guilds/${guildId}/invites`, { headers: { Authorization: "Bot test" } });
    return (await response.json()) as FakeInvite[];
  },
};
