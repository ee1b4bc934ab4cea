import { roleView } from "../commands/role-check";
import type { CommandContext } from "../commands/context";
import type { HealthLine } from "../health/report";
import { botManagesRoles } from "../roles/grant-policy";
import { markHealthLines } from "./policy";
import { markFigures } from "./store";

const WEEK_MS = 7 * 24 * 60 * 60_000;

/** `/invite health`'s marks: marked invites, joins named by mark this week, and whether the bot can still mark. */
export async function markHealth(ctx: CommandContext): Promise<HealthLine[]> {
  const [figures, view] = await Promise.all([markFigures(ctx.db, ctx.guildId, new Date(ctx.now.getTime() - WEEK_MS)), roleView(ctx)]);
  const manageRoles = view.ok ? botManagesRoles(view.value.guild, view.value.botRoles) : null;
  return markHealthLines({ ...figures, manageRoles }, ctx.m);
}
