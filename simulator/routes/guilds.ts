/** Guild reads: the guild, its channels, a member, the vanity URL. */
import * as errors from "../errors";
import { channelJson, guildJson, memberJson } from "../objects";
import { json, type Route } from "../router";
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
      template: "/guilds/{guild_id}/members/{user_id}",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => json(memberJson(state, state.member(params.guild_id!, params.user_id!))),
    },
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
