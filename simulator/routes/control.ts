/**
 * The control API under /_fake: what a test does "as a Discord user" (create a
 * guild, make an invite in the UI, join through it), failures to inject, and
 * the truth to compare the bot against. Reachable over HTTP because workerd
 * tests cannot touch the fake's memory. It answers at once: the latency model
 * is Discord's, and this is not Discord.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parseBehaviour } from "../behaviour";
import { EDGE_REFUSAL_MODES, type EdgeRefusalMode } from "../edge-refusal";
import { DiscordError, unknownInvite } from "../errors";
import { channelJson, guildCreateJson, guildJson, inviteJson, memberJson, messageJson, roleJson } from "../objects";
import type { ForcedFailure, ForcedRateLimit, RateLimiter } from "../rate-limit";
import type { FakeOAuth } from "../oauth";
import type { RequestLog } from "../request-log";
import { json, noContent, type Route } from "../router";
import { JOINS_WITHOUT_INVITE, type FakeDiscordState, type GuildInput, type InviteInput, type MemberInput, type UserInput } from "../state";
import { join, playJoins, type PlayRequest } from "../play";

const badRequest = (message: string) => new DiscordError(400, { message, code: 0 });

/** The joining user: as given ({id, username}), or, without body.user, a newcomer with a realistic account age. */
function joiningUser(state: FakeDiscordState, body: unknown): UserInput {
  const user = (body as { user?: UserInput } | undefined)?.user;
  if (user === undefined) return state.accounts.newcomer(state.now());
  if (!user?.id || !user.username) throw badRequest("body.user must be {id, username}, or left out for a new user");
  return user;
}

function requireCount(rule: { count?: unknown }): void {
  if (!Number.isInteger(rule.count) || (rule.count as number) < 1) throw badRequest("count must be a positive integer");
}

function requireMix(mix: unknown): void {
  if (mix === undefined) return;
  const shares = typeof mix === "object" && mix !== null ? Object.entries(mix) : [];
  const valid = shares.every(([way, share]) => Object.hasOwn(JOINS_WITHOUT_INVITE, way) && typeof share === "number" && share >= 0);
  if (!shares.length || !valid || shares.reduce((sum, [, share]) => sum + (share as number), 0) > 1) {
    throw badRequest("mix must be { discovery?, oauth? }: probabilities that add up to at most 1");
  }
}

export function controlRoutes(state: FakeDiscordState, limiter: RateLimiter, requests: RequestLog, oauth: FakeOAuth): Route[] {
  const route = (method: Route["method"], template: string, handler: Route["handler"]): Route => ({
    method,
    template,
    auth: "none",
    inSpec: false,
    handler,
  });
  const guildWithEverything = (guildId: string) => {
    const guild = state.guild(guildId);
    return {
      ...guildJson(state, guild, true),
      channels: state.guildChannels(guildId).map((c) => channelJson(state, c)),
      members: [...guild.members.values()].map((m) => memberJson(state, m)),
    };
  };

  return [
    route("POST", "/guilds", ({ body }) => {
      const input = (body ?? {}) as GuildInput;
      if (!input.name) throw badRequest("name is required");
      if (input.id && state.guilds.has(input.id)) throw badRequest(`guild ${input.id} already exists`);
      return json(guildWithEverything(state.createGuild(input).id), 201);
    }),
    route("GET", "/guilds/{guild_id}", ({ params }) => json(guildWithEverything(params.guild_id!))),
    route("POST", "/guilds/{guild_id}/bot/remove", ({ params, body }) => {
      state.removeBot(params.guild_id!, (body as { unavailable?: boolean } | undefined)?.unavailable === true);
      return noContent();
    }),
    route("POST", "/guilds/{guild_id}/bot/add", ({ params }) => {
      state.addBot(params.guild_id!, (guild) => guildCreateJson(state, guild));
      return noContent();
    }),
    route("POST", "/guilds/{guild_id}/invites", ({ params, body }) => {
      const input = (body ?? {}) as InviteInput;
      if (input.code && state.invites.has(input.code)) throw badRequest(`invite ${input.code} already exists`);
      const roles = state.guild(params.guild_id!).roles;
      if (input.role_ids !== undefined && !(Array.isArray(input.role_ids) && input.role_ids.every((id) => roles.has(id)))) {
        throw badRequest("role_ids must be roles of the guild");
      }
      return json(inviteJson(state, state.createInvite(params.guild_id!, input), { metadata: true }), 201);
    }),
    route("POST", "/guilds/{guild_id}/roles", ({ params, body }) => {
      const input = (body ?? {}) as { name?: string; position?: number; permissions?: string };
      if (!input.name) throw badRequest("name is required");
      return json(roleJson(state.createRole(params.guild_id!, { ...input, name: input.name })), 201);
    }),
    route("PATCH", "/guilds/{guild_id}/bot-role", ({ params, body }) => {
      const input = (body ?? {}) as { position?: number; permissions?: string };
      return json(roleJson(state.updateBotRole(params.guild_id!, input)));
    }),
    route("POST", "/invites/{code}/join", ({ params, body }) => {
      const { member, invite, deleted } = state.joinViaInvite(params.code!, joiningUser(state, body));
      return json({
        member: memberJson(state, member),
        invite: { code: invite.code, uses: invite.uses, max_uses: invite.max_uses, deleted },
        join: state.joins.at(-1),
      });
    }),
    route("POST", "/guilds/{guild_id}/vanity/join", ({ params, body }) => {
      const guild = state.guild(params.guild_id!);
      if (!guild.vanity_url_code) throw unknownInvite();
      const member = state.joinViaVanity(guild.id, joiningUser(state, body));
      return json({ member: memberJson(state, member), vanity: { code: guild.vanity_url_code, uses: guild.vanity_uses }, join: state.joins.at(-1) });
    }),
    // Joins that raise no invite's uses: Server Discovery, an OAuth guilds.join add.
    ...Object.keys(JOINS_WITHOUT_INVITE).map((way) =>
      route("POST", `/guilds/{guild_id}/${way}/join`, ({ params, body }) => {
        const record = join(state, state.guild(params.guild_id!).id, way, joiningUser(state, body));
        return json({ member: memberJson(state, state.member(record.guild_id, record.user_id)), join: record });
      }),
    ),
    route("POST", "/guilds/{guild_id}/play", async ({ params, body }) => {
      const request = (body ?? {}) as PlayRequest;
      if (typeof request.invite !== "string") throw badRequest('invite (a code, "vanity", "discovery" or "oauth") is required');
      requireCount(request);
      requireMix(request.mix);
      const pace = request.pace_ms ?? 0;
      if (!Number.isInteger(pace) || pace < 0 || pace > 60_000) throw badRequest("pace_ms must be an integer in [0, 60000]");
      return json({ joins: await playJoins(state, params.guild_id!, request) });
    }),
    route("POST", "/guilds/{guild_id}/members", ({ params, body }) => {
      const input = { ...(body as MemberInput), user: joiningUser(state, body) };
      return json({ member: memberJson(state, state.joinWithoutInvite(params.guild_id!, input)), join: state.joins.at(-1) }, 201);
    }),
    route("DELETE", "/guilds/{guild_id}/members/{user_id}", ({ params }) => {
      state.removeMember(params.guild_id!, params.user_id!);
      return noContent();
    }),
    route("GET", "/guilds/{guild_id}/joins", ({ params }) => {
      state.guild(params.guild_id!);
      return json(state.joins.filter((j) => j.guild_id === params.guild_id));
    }),
    // The gateway's view: only what has been delivered by now. `wait=true` first waits until
    // everything that has happened so far is delivered.
    route("GET", "/guilds/{guild_id}/events", async ({ params, query }) => {
      const guild = state.guild(params.guild_id!);
      let at = state.now();
      if (query.get("wait") === "true") {
        // A timer may fire a millisecond before the wall clock agrees: answer as of the target.
        // Scheduled dispatches (an invite's roles on their way) are waited for too.
        for (let target = state.settledBy(guild.id); at < target; target = state.settledBy(guild.id)) {
          await sleep(target - at);
          at = Math.max(state.now(), target);
        }
      }
      return json(state.delivered(guild.id, at).map(({ t, d, happened_at, deliver_at }) => ({ t, d, happened_at, deliver_at })));
    }),
    // OAuth2: a test answers the consent page at once (what the member's click would do), bans a user,
    // or takes Create Invite away from @everyone.
    route("POST", "/oauth2/authorize", ({ body }) => {
      const input = (body ?? {}) as { url?: string; decision?: "authorize" | "cancel"; user?: unknown };
      if (typeof input.url !== "string" || !URL.canParse(input.url)) throw badRequest("url (the authorize URL) is required");
      const request = oauth.authorizeRequest(new URL(input.url).searchParams);
      const user = joiningUser(state, input);
      return json({ location: oauth.decide(request, user, input.decision !== "cancel"), user_id: user.id });
    }),
    route("POST", "/guilds/{guild_id}/bans", ({ params, body }) => {
      const userId = (body as { user_id?: string } | undefined)?.user_id;
      if (!userId) throw badRequest("user_id is required");
      const guildId = state.guild(params.guild_id!).id;
      oauth.bans.set(guildId, new Set([...(oauth.bans.get(guildId) ?? []), userId]));
      return noContent();
    }),
    route("PATCH", "/guilds/{guild_id}/everyone-role", ({ params, body }) => {
      const permissions = (body as { permissions?: string } | undefined)?.permissions;
      if (typeof permissions !== "string" || !/^\d+$/.test(permissions)) throw badRequest("permissions (a decimal string) is required");
      const guild = state.guild(params.guild_id!);
      guild.roles.get(guild.id)!.permissions = permissions;
      return json(roleJson(guild.roles.get(guild.id)!));
    }),
    route("GET", "/behaviour", () => json(state.behaviours.for(null))),
    route("PATCH", "/behaviour", ({ body }) => json(state.behaviours.patch(null, parseBehaviour(body)))),
    route("GET", "/guilds/{guild_id}/behaviour", ({ params }) => json(state.behaviours.for(state.guild(params.guild_id!).id))),
    route("PATCH", "/guilds/{guild_id}/behaviour", ({ params, body }) =>
      json(state.behaviours.patch(state.guild(params.guild_id!).id, parseBehaviour(body))),
    ),
    route("POST", "/rate-limit", ({ body }) => {
      const rule = (body ?? {}) as ForcedRateLimit;
      requireCount(rule);
      if (typeof rule.retry_after !== "number" || rule.retry_after < 0) throw badRequest("retry_after (seconds) is required");
      limiter.forceRateLimit(rule);
      return noContent();
    }),
    // Discord's edge refusing the bot: every API request answers 1015 HTML or a bare 429 for `seconds`.
    route("POST", "/edge-refusal", ({ body }) => {
      const { mode, seconds, path_prefix } = (body ?? {}) as { mode?: EdgeRefusalMode; seconds?: number; path_prefix?: string };
      if (!EDGE_REFUSAL_MODES.includes(mode!)) throw badRequest(`mode must be one of ${EDGE_REFUSAL_MODES.join(", ")}`);
      if (typeof seconds !== "number" || seconds < 0 || seconds > 3600) throw badRequest("seconds must be a number in [0, 3600]");
      if (path_prefix !== undefined && typeof path_prefix !== "string") throw badRequest("path_prefix must be a string");
      limiter.edge.start(mode!, seconds, path_prefix);
      return noContent();
    }),
    route("POST", "/failures", ({ body }) => {
      const rule = (body ?? {}) as ForcedFailure;
      requireCount(rule);
      if (!Number.isInteger(rule.status) || rule.status < 500 || rule.status > 599) throw badRequest("status must be 5xx");
      limiter.forceFailure(rule);
      return noContent();
    }),
    route("GET", "/requests", ({ query }) =>
      json(requests.list({ path_prefix: query.get("path_prefix"), method: query.get("method") })),
    ),
    route("DELETE", "/requests", () => {
      requests.clear();
      return noContent();
    }),
    route("GET", "/webhooks/{interaction_token}", ({ params }) =>
      json((state.interactions.get(params.interaction_token!)?.messages ?? []).map((m) => messageJson(state, m))),
    ),
    route("GET", "/interactions/{interaction_token}/callbacks", ({ params }) =>
      json(state.interactions.get(params.interaction_token!)?.callbacks ?? []),
    ),
    route("GET", "/channels/{channel_id}/messages", ({ params }) => {
      state.channel(params.channel_id!);
      return json((state.messages.get(params.channel_id!) ?? []).map((m) => messageJson(state, m)));
    }),
    // The bytes of a message's uploads, base64 (the control API speaks JSON).
    route("GET", "/channels/{channel_id}/messages/{message_id}/attachments", ({ params }) => {
      const message = [...(state.messages.get(params.channel_id!) ?? []), ...[...state.interactions.values()].flatMap((i) => i.messages)].find(
        (m) => m.id === params.message_id,
      );
      if (!message) throw badRequest(`no message ${params.message_id}`);
      return json((message.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, content_type: a.content_type, base64: a.data.toString("base64") })));
    }),
    route("GET", "/users/{user_id}/dms", ({ params }) => {
      const channel = [...state.channels.values()].find((c) => c.type === 1 && c.recipient_id === params.user_id);
      return json((channel ? (state.messages.get(channel.id) ?? []) : []).map((m) => messageJson(state, m)));
    }),
  ];
}
