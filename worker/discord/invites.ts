import type { APIExtendedInvite, APIInvite } from "discord-api-types/payloads/v10";
import type { DiscordRest } from "./rest";

/** Options for `POST /channels/{id}/invites`; Discord's limits are checked before we get here. */
export interface CreateInviteOptions {
  maxUses: number;
  maxAge: number;
  /** Roles Discord gives whoever accepts it (a mark, worker/marks): needs Manage Roles. */
  roleIds?: string[];
}

export const discordInvites = {
  list: (rest: DiscordRest, guildId: string) => rest.get<APIExtendedInvite[]>(`/guilds/${guildId}/invites`),

  create: (rest: DiscordRest, channelId: string, options: CreateInviteOptions, reason: string) =>
    rest.post<APIExtendedInvite>(
      `/channels/${channelId}/invites`,
      // unique: a fresh code per source, never Discord's reuse of a similar invite.
      { max_uses: options.maxUses, max_age: options.maxAge, unique: true, temporary: false, ...(options.roleIds?.length ? { role_ids: options.roleIds } : {}) },
      reason,
    ),

  get: (rest: DiscordRest, code: string) =>
    rest.get<APIInvite>(`/invites/${encodeURIComponent(code)}?with_counts=false&with_expiration=true`),

  delete: (rest: DiscordRest, code: string, reason: string) =>
    rest.delete<APIInvite>(`/invites/${encodeURIComponent(code)}`, reason),
};

/** Discord's JSON error codes we act on. */
export const DiscordErrorCode = {
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownInvite: 10006,
  UnknownMember: 10007,
  UnknownRole: 10011,
  MaxInvites: 30016,
  MissingAccess: 50001,
  MissingPermissions: 50013,
  InvalidFormBody: 50035,
} as const;
