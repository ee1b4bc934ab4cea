import type { GuildRole } from "../roles/grant-policy";
import type { DiscordRest } from "./rest";

/** Roles and member roles, as a source's role uses them. */
export const discordRoles = {
  list: (rest: DiscordRest, guildId: string) => rest.get<GuildRole[]>(`/guilds/${guildId}/roles`),
  /** The guild with its roles and owner: what deciding who may give a role takes, in one call. */
  guild: (rest: DiscordRest, guildId: string) => rest.get<{ owner_id: string; roles: GuildRole[] }>(`/guilds/${guildId}`),
  member: (rest: DiscordRest, guildId: string, userId: string) => rest.get<{ roles: string[] }>(`/guilds/${guildId}/members/${userId}`),
  /** A role the bot makes (a source's mark): Discord places it at position 1, below the bot's own. */
  create: (rest: DiscordRest, guildId: string, body: { name: string; permissions: number; hoist: boolean; mentionable: boolean }, reason: string) =>
    rest.post<GuildRole>(`/guilds/${guildId}/roles`, body, reason),
  delete: (rest: DiscordRest, guildId: string, roleId: string, reason: string) => rest.delete<void>(`/guilds/${guildId}/roles/${roleId}`, reason),
  /** Takes a role off a member (removing one they do not have is a no-op in Discord). */
  remove: (rest: DiscordRest, guildId: string, userId: string, roleId: string) => rest.delete<void>(`/guilds/${guildId}/members/${userId}/roles/${roleId}`),
};
