import type { Db } from "../db";
import { discordRoles } from "../discord/roles";
import type { DiscordRest } from "../discord/rest";
import { INVITED_MARK_NAME, markRoleBody } from "./policy";
import { bindMark, invitedMark } from "./store";

/**
 * The guild's one "invited" mark, made by the bot the first time an invitation
 * is accepted; null when it can't be (no Manage Roles, or the role cap): the
 * invitation's invite is then unmarked. Two first clicks at once keep one role.
 */
export async function invitedMarkFor(db: Db, rest: DiscordRest, guildId: string): Promise<string | null> {
  const known = await invitedMark(db, guildId);
  if (known) return known;
  const made = await discordRoles.create(rest, guildId, markRoleBody(INVITED_MARK_NAME), "Marks joins through invitations");
  if (!made.ok) return null;
  const holder = await bindMark(db, guildId, made.value.id, null, true);
  if (holder.roleId !== made.value.id) await discordRoles.delete(rest, guildId, made.value.id, "Another click made the invitations' mark first");
  return holder.roleId;
}
