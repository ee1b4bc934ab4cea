import type { GuildRole } from "../roles/grant-policy";
import type { DiscordRest } from "./rest";

/** Roles and member roles, as a source's role uses them. */
export const discordRoles = {
  list: (rest: DiscordRest, guildId: string) => rest.get<GuildRole[]>(`/guilds/${guildId}/roles`),
  /** The guild with its roles and owner: what deciding who may give a role takes, in one call. */
  guild: (rest: DiscordRest, guildId: string) => rest.get<{ owner_id: string; roles: GuildRole[] }>(`/guilds/${guildId}`),
  member: (rest: DiscordRest, guildId: string, userId: string) => rest.get<{ roles: string[] }>(`/guilds/${guildId}/members/${userId}`),
  add: (rest: DiscordRest, guildId: string, userId: string, roleId: string) => rest.put<void>(`/guilds/${guildId}/members/${userId}/roles/${roleId}`, undefined),
};
