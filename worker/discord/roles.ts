import type { GuildRole } from "../rewards/policy";
import type { DiscordRest } from "./rest";

/** Roles and member roles, as the reward features use them. */
export const discordRoles = {
  list: (rest: DiscordRest, guildId: string) => rest.get<GuildRole[]>(`/guilds/${guildId}/roles`),
  member: (rest: DiscordRest, guildId: string, userId: string) => rest.get<{ roles: string[] }>(`/guilds/${guildId}/members/${userId}`),
  add: (rest: DiscordRest, guildId: string, userId: string, roleId: string) => rest.put<void>(`/guilds/${guildId}/members/${userId}/roles/${roleId}`, undefined),
  remove: (rest: DiscordRest, guildId: string, userId: string, roleId: string) => rest.delete<void>(`/guilds/${guildId}/members/${userId}/roles/${roleId}`),
};

/** Discord's "Unknown Member": the user is not (or no longer) in the server. */
export const UNKNOWN_MEMBER = 10007;
