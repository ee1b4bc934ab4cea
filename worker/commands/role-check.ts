import { discordRoles } from "../discord/roles";
import { invokerRoleProblem, roleProblem } from "../roles/grant-policy";
import type { CommandContext } from "./context";
import { fail, ok, type Outcome } from "./failures";
import { snowflakeOption } from "./options";

/** What the bot may do with roles right now: the guild (its roles and owner) and the bot's own roles. */
export async function roleView(ctx: CommandContext) {
  const [guild, bot] = await Promise.all([discordRoles.guild(ctx.rest, ctx.guildId), discordRoles.member(ctx.rest, ctx.guildId, ctx.env.DISCORD_APPLICATION_ID)]);
  if (!guild.ok) return fail<never>({ kind: "discord", failure: guild.error, action: { key: "action.read_roles" } });
  if (!bot.ok) return fail<never>({ kind: "discord", failure: bot.error, action: { key: "action.read_own_roles" } });
  return ok({ guild: { id: ctx.guildId, ownerId: guild.value.owner_id, roles: guild.value.roles }, botRoles: bot.value.roles });
}

/**
 * A `role` option the bot may hand out on this member's behalf: one the bot can
 * give and the member could give themselves. Refused with the reason before
 * anything is written.
 */
export async function assignableRoleOption(ctx: CommandContext, name: string): Promise<Outcome<string>> {
  const role = snowflakeOption(ctx.call, name, { key: "expected.role" });
  if (!role.ok) return role;
  const view = await roleView(ctx);
  if (!view.ok) return view;
  const { guild, botRoles } = view.value;
  const problem = roleProblem(role.value, guild, botRoles) ?? invokerRoleProblem(role.value, guild, { userId: ctx.userId, roleIds: ctx.memberRoleIds });
  return problem ? fail({ kind: "role_unusable", roleId: role.value, problem }) : ok(role.value);
}
