import { discordRoles } from "../discord/roles";
import { roleProblem } from "../roles/assignable";
import type { CommandContext } from "./context";
import { fail, ok, type Outcome } from "./failures";
import { snowflakeOption } from "./options";

/** What the bot may do with roles right now: the guild's roles and its own. */
export async function roleView(ctx: CommandContext) {
  const [roles, bot] = await Promise.all([discordRoles.list(ctx.rest, ctx.guildId), discordRoles.member(ctx.rest, ctx.guildId, ctx.env.DISCORD_APPLICATION_ID)]);
  if (!roles.ok) return fail<never>({ kind: "discord", failure: roles.error, action: "read this server's roles" });
  if (!bot.ok) return fail<never>({ kind: "discord", failure: bot.error, action: "read my own roles" });
  return ok({ roles: roles.value, botRoles: bot.value.roles });
}

/** A `role` option the bot can actually hand out; refused with the reason before anything is written. */
export async function assignableRoleOption(ctx: CommandContext, name: string): Promise<Outcome<string>> {
  const role = snowflakeOption(ctx.call, name, "a role");
  if (!role.ok) return role;
  const view = await roleView(ctx);
  if (!view.ok) return view;
  const problem = roleProblem(role.value, ctx.guildId, view.value.roles, view.value.botRoles);
  return problem ? fail({ kind: "role_unusable", roleId: role.value, problem }) : ok(role.value);
}
