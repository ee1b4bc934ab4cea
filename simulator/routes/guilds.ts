/** Guild reads (the guild, its channels and roles, a member, the vanity URL) and member role changes. */
import * as errors from "../errors";
import { channelJson, guildJson, memberJson, roleJson } from "../objects";
import { json, noContent, type Route } from "../router";
import type { FakeDiscordState } from "../state";

export function guildRoutes(state: FakeDiscordState): Route[] {
  return [
    {
      method: "GET",
      template: "/guilds/{guild_id}",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params, query }) =>
        json(guildJson(state, state.guild(params.guild_id!), query.get("with_counts") === "true")),
    },
    {
      method: "GET",
      template: "/guilds/{guild_id}/channels",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => {
        state.guild(params.guild_id!);
        return json(state.guildChannels(params.guild_id!).map((c) => channelJson(state, c)));
      },
    },
    {
      method: "GET",
      template: "/guilds/{guild_id}/members",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      // Discord's member list: by user id ascending, `limit` 1-1000 (default 1), after the user id `after`.
      handler: ({ params, query }) => {
        const guild = state.guild(params.guild_id!);
        const limit = Number(query.get("limit") ?? 1);
        if (!Number.isInteger(limit) || limit < 1) throw errors.invalidForm({ limit: [errors.numberTooSmall(1)] });
        if (limit > 1000) throw errors.invalidForm({ limit: [errors.numberTooBig(1000)] });
        const after = BigInt(/^\d{1,20}$/.test(query.get("after") ?? "") ? query.get("after")! : "0");
        const page = [...guild.members.values()]
          .filter((m) => BigInt(m.user_id) > after)
          .sort((a, b) => (BigInt(a.user_id) < BigInt(b.user_id) ? -1 : 1))
          .slice(0, limit);
        return json(page.map((m) => memberJson(state, m)));
      },
    },
    {
      method: "GET",
      template: "/guilds/{guild_id}/members/{user_id}",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => json(memberJson(state, state.member(params.guild_id!, params.user_id!))),
    },
    {
      method: "GET",
      template: "/guilds/{guild_id}/roles",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => json([...state.guild(params.guild_id!).roles.values()].map(roleJson)),
    },
    {
      method: "POST",
      template: "/guilds/{guild_id}/roles",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params, body }) => {
        const input = (body ?? {}) as { name?: string; permissions?: string | number; hoist?: boolean; mentionable?: boolean; color?: number };
        const role = state.createRoleAsBot(params.guild_id!, {
          name: input.name ?? "new role",
          // Discord's default is @everyone's permissions: a bot that wants none must say "0".
          permissions: input.permissions !== undefined ? String(input.permissions) : state.guild(params.guild_id!).roles.get(params.guild_id!)!.permissions,
          hoist: input.hoist ?? false,
          mentionable: input.mentionable ?? false,
          color: input.color ?? 0,
        });
        return json(roleJson(role));
      },
    },
    {
      method: "DELETE",
      template: "/guilds/{guild_id}/roles/{role_id}",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => {
        state.deleteRoleAsBot(params.guild_id!, params.role_id!);
        return noContent();
      },
    },
    {
      method: "PATCH",
      template: "/guilds/{guild_id}/members/{user_id}",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params, body }) => {
        const input = (body ?? {}) as { roles?: string[] | null };
        const member = input.roles ? state.setMemberRoles(params.guild_id!, params.user_id!, input.roles) : state.member(params.guild_id!, params.user_id!);
        return json(memberJson(state, member));
      },
    },
    ...(["PUT", "DELETE"] as const).map(
      (method): Route => ({
        method,
        template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
        auth: "bot",
        inSpec: true,
        major: "guild_id",
        handler: ({ params }) => {
          state.setMemberRole(params.guild_id!, params.user_id!, params.role_id!, method === "PUT");
          return noContent();
        },
      }),
    ),
    {
      method: "GET",
      template: "/guilds/{guild_id}/vanity-url",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => {
        const guild = state.guild(params.guild_id!);
        if (!guild.features.includes("VANITY_URL")) throw errors.missingAccess();
        return json({ code: guild.vanity_url_code, uses: guild.vanity_uses });
      },
    },
  ];
}
