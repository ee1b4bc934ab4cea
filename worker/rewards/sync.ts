import { discordRoles, UNKNOWN_MEMBER } from "../discord/roles";
import type { DiscordFailure, DiscordRest } from "../discord/rest";
import type { Queryable } from "../db";
import { totalInvites } from "../inviters/counts";
import { loadJoinLogSettings } from "../inviters/settings";
import { inviterCounts } from "../inviters/store";
import { roleProblem, type RoleProblem } from "../roles/grant-policy";
import { rewardChanges } from "./policy";
import { listRewards } from "./store";

export type SyncResult =
  | { kind: "no_rewards" }
  | { kind: "not_member" }
  | { kind: "failed"; error: DiscordFailure }
  | { kind: "synced"; total: number; granted: string[]; revoked: string[]; refused: Array<{ roleId: string; problem: RoleProblem | "discord" }> };

/**
 * Brings one inviter's reward roles in line with their count (all time,
 * regular minus fake and left, plus bonus). Idempotent: run it after anything
 * that may move the count. Roles the bot may not touch are reported, not tried.
 */
export async function syncRewardRoles(db: Queryable, rest: DiscordRest, env: Pick<Env, "DISCORD_APPLICATION_ID">, guildId: string, userId: string): Promise<SyncResult> {
  const rewards = await listRewards(db, guildId);
  if (rewards.length === 0) return { kind: "no_rewards" };
  const settings = await loadJoinLogSettings(db, guildId);
  const scope = { guildId, botUserId: env.DISCORD_APPLICATION_ID, policy: { fakeAccountAgeDays: settings.fakeAccountAgeDays }, since: null };
  const total = totalInvites(await inviterCounts(db, scope, userId));
  const member = await discordRoles.member(rest, guildId, userId);
  if (!member.ok) {
    return member.error.kind === "discord" && member.error.code === UNKNOWN_MEMBER ? { kind: "not_member" } : { kind: "failed", error: member.error };
  }
  const changes = rewardChanges(total, rewards, member.value.roles, settings.removeRewardOnDrop);
  const result = { kind: "synced" as const, total, granted: [] as string[], revoked: [] as string[], refused: [] as Array<{ roleId: string; problem: RoleProblem | "discord" }> };
  if (changes.grant.length + changes.revoke.length === 0) return result;
  const [roles, bot] = await Promise.all([discordRoles.list(rest, guildId), discordRoles.member(rest, guildId, env.DISCORD_APPLICATION_ID)]);
  if (!roles.ok) return { kind: "failed", error: roles.error };
  if (!bot.ok) return { kind: "failed", error: bot.error };
  for (const [roleId, grant] of [...changes.grant.map((id) => [id, true] as const), ...changes.revoke.map((id) => [id, false] as const)]) {
    const problem = roleProblem(roleId, { id: guildId, roles: roles.value }, bot.value.roles);
    if (problem) {
      result.refused.push({ roleId, problem });
      continue;
    }
    const done = grant ? await discordRoles.add(rest, guildId, userId, roleId) : await discordRoles.remove(rest, guildId, userId, roleId);
    if (!done.ok) result.refused.push({ roleId, problem: "discord" });
    else (grant ? result.granted : result.revoked).push(roleId);
  }
  return result;
}
