import { totalInvites } from "../../inviters/counts";
import { countScope } from "../../inviters/scope";
import { rankingPage } from "../../inviters/ranking";
import type { Reply } from "../../interactions/reply";
import { roleProblem } from "../../roles/grant-policy";
import { deleteReward, listRewards, saveReward } from "../../rewards/store";
import { syncRewardRoles } from "../../rewards/sync";
import { fitLines } from "../../format/text";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, roleProblemMessage, type Outcome } from "../failures";
import { assignableRoleOption, roleView } from "../role-check";
import { integerOption, snowflakeOption } from "../options";

/** Inviters already past a new threshold get the role at once, up to this many; the rest at their next count change. */
const BACKFILL_MAX = 25;

/** /invite rewards add invites role: refused up front when the bot could never assign the role. */
export async function addReward(ctx: CommandContext): Promise<Outcome<Reply>> {
  const invites = integerOption(ctx.call, "invites", LIMITS.rewardInvites);
  if (!invites.ok) return invites;
  const role = await assignableRoleOption(ctx, "role");
  if (!role.ok) return role;
  await saveReward(ctx.db, ctx.guildId, role.value, invites.value);

  const scope = await countScope(ctx.db, ctx.env, ctx.guildId, null);
  const top = await rankingPage(ctx.db, ctx.env, scope, null, 0, BACKFILL_MAX + 1, ctx.now);
  const qualified = top.rows.filter((r) => totalInvites(r) >= invites.value);
  let granted = 0;
  for (const inviter of qualified.slice(0, BACKFILL_MAX)) {
    const synced = await syncRewardRoles(ctx.db, ctx.rest, ctx.env, ctx.guildId, inviter.userId);
    if (synced.kind === "synced" && synced.granted.includes(role.value)) granted++;
  }
  const more = qualified.length > BACKFILL_MAX ? ` More inviters qualify; they get it the next time their count changes.` : "";
  return ok({ content: `Inviters reaching **${invites.value}** invites now get <@&${role.value}>. Granted it to ${granted} inviter${granted === 1 ? "" : "s"} already there.${more}` });
}

export async function removeReward(ctx: CommandContext): Promise<Outcome<Reply>> {
  const role = snowflakeOption(ctx.call, "role", "a role");
  if (!role.ok) return role;
  if (!(await deleteReward(ctx.db, ctx.guildId, role.value))) return fail({ kind: "unknown_reward", roleId: role.value });
  return ok({ content: `<@&${role.value}> is no longer a reward. Members who have it keep it.` });
}

/** /invite rewards list: each threshold, and a warning beside any role the bot can no longer assign. */
export async function listRewardsCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const rewards = await listRewards(ctx.db, ctx.guildId);
  if (rewards.length === 0) return ok({ content: "No reward roles yet. Add one with `/invite rewards add`." });
  const view = await roleView(ctx);
  if (!view.ok) return view;
  const lines = rewards.map((r) => {
    const problem = roleProblem(r.roleId, view.value.guild, view.value.botRoles);
    return `**${r.invites}** invites → <@&${r.roleId}>${problem ? `\n  ⚠️ ${roleProblemMessage(r.roleId, problem)}` : ""}`;
  });
  return ok({ embeds: [{ title: "Reward roles", description: fitLines(lines) }] });
}
