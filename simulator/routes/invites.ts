/** Invite endpoints: list a guild's, create in a channel, resolve and revoke by code. */
import * as errors from "../errors";
import { inviteJson } from "../objects";
import { json, type Route } from "../router";
import type { FakeDiscordState } from "../state";

/** Discord's documented limits (the spec allows max_age up to 5184000; Discord's docs say 604800, and docs win). */
export const INVITE_LIMITS = { maxAge: 604800, maxUses: 100 } as const;

interface CreateInviteBody {
  max_age?: number | null;
  max_uses?: number | null;
  temporary?: boolean | null;
  unique?: boolean | null;
  role_ids?: string[] | null;
}

function checkRanges(body: CreateInviteBody): void {
  const fields: Record<string, errors.FieldError[]> = {};
  const range = (name: "max_age" | "max_uses", max: number) => {
    const value = body[name];
    if (value === undefined || value === null) return;
    if (!Number.isInteger(value)) fields[name] = [errors.notAnInteger()];
    else if (value > max) fields[name] = [errors.numberTooBig(max)];
    else if (value < 0) fields[name] = [errors.numberTooSmall(0)];
  };
  range("max_age", INVITE_LIMITS.maxAge);
  range("max_uses", INVITE_LIMITS.maxUses);
  if (Object.keys(fields).length > 0) throw errors.invalidForm(fields);
}

export function inviteRoutes(state: FakeDiscordState): Route[] {
  return [
    {
      method: "GET",
      template: "/guilds/{guild_id}/invites",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => {
        state.guild(params.guild_id!);
        return json(state.guildInvites(params.guild_id!).map((i) => inviteJson(state, i, { metadata: true })));
      },
    },
    {
      method: "POST",
      template: "/channels/{channel_id}/invites",
      auth: "bot",
      inSpec: true,
      major: "channel_id",
      handler: ({ params, body }) => {
        const channel = state.botChannel(params.channel_id!);
        if (!channel.guild_id) throw errors.unknownChannel();
        const input = (body ?? {}) as CreateInviteBody;
        checkRanges(input);
        const settings = {
          max_age: input.max_age ?? 86400,
          max_uses: input.max_uses ?? 0,
          temporary: input.temporary ?? false,
        };
        // Without unique=true Discord hands back a matching invite the bot already made.
        const reusable = input.unique
          ? undefined
          : state
              .guildInvites(channel.guild_id)
              .find(
                (i) =>
                  i.channel_id === channel.id &&
                  i.inviter_id === state.botUser.id &&
                  i.max_age === settings.max_age &&
                  i.max_uses === settings.max_uses &&
                  i.temporary === settings.temporary,
              );
        // role_ids (roles given on accept): each must exist and be a role the bot may manage.
        const roles = input.role_ids ?? [];
        const guild = state.guild(channel.guild_id);
        for (const id of roles) {
          const role = guild.roles.get(id);
          if (!role) throw errors.unknownRole();
          state.assertBotManages(guild, role);
        }
        const invite =
          reusable ?? state.createInvite(channel.guild_id, { ...settings, channel_id: channel.id, inviter_id: state.botUser.id, roles });
        return json(inviteJson(state, invite, { metadata: true }));
      },
    },
    {
      method: "GET",
      template: "/invites/{code}",
      auth: "none",
      inSpec: true,
      handler: ({ params, query }) =>
        json(inviteJson(state, state.invite(params.code!), { metadata: false, withCounts: query.get("with_counts") === "true" })),
    },
    {
      method: "DELETE",
      template: "/invites/{code}",
      auth: "bot",
      inSpec: true,
      handler: ({ params }) => {
        const invite = state.invite(params.code!);
        const body = inviteJson(state, invite, { metadata: false });
        state.deleteInvite(invite.code);
        return json(body);
      },
    },
  ];
}
