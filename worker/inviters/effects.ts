import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { discordRoles } from "../discord/roles";
import { joinFacts, postJoinLog, type JoinFacts } from "../join-log/post";
import { sourceRole } from "../store/source-roles";
import { logError, logInfo } from "../log";
import { syncRewardRoles } from "../rewards/sync";
import { loadJoinLogSettings } from "./settings";

/**
 * What follows a join's verdict or a departure once Postgres has it: the join
 * or leave message, and the inviter's reward roles. Never throws: the row is
 * written, and a failure here must not hold back the outbox.
 */
export async function afterOutboxWrite(db: Db, env: Env, item: OutboxItem): Promise<void> {
  if (item.kind === "invite" || item.kind === "bot_arrival") return;
  try {
    const [settings, roles] = await Promise.all([
      loadJoinLogSettings(db, item.guildId),
      db.execute<{ rewards: boolean; sources: boolean }>(sql`
        select exists (select 1 from reward_roles where guild_id = ${item.guildId}) as rewards,
               exists (select 1 from source_roles where guild_id = ${item.guildId}) as sources`),
    ]);
    const hasRewards = roles.rows[0]!.rewards;
    if (!settings.joinLogChannelId && !hasRewards && !roles.rows[0]!.sources) return;
    const facts = await joinFacts(db, item.guildId, item.userId, env.DISCORD_APPLICATION_ID, item.kind === "join" ? new Date(item.joinedAt) : null);
    if (!facts) return;
    // Little patience: Discord's answer is not worth stalling the rows behind this one.
    const rest = DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });
    const policy = { fakeAccountAgeDays: settings.fakeAccountAgeDays, botUserId: env.DISCORD_APPLICATION_ID };
    if (item.kind === "join") {
      await giveSourceRole(db, rest, item.guildId, facts);
      await postJoinLog(db, rest, settings, facts, "join", policy);
    }
    if (item.kind === "member_left" || (item.kind === "join" && item.leftAt)) await postJoinLog(db, rest, settings, facts, "leave", policy);
    if (hasRewards && facts.inviterId !== null) {
      const synced = await syncRewardRoles(db, rest, env, item.guildId, facts.inviterId);
      if (synced.kind === "failed" || (synced.kind === "synced" && synced.refused.length > 0)) {
        logInfo("reward roles not fully synced", { guild: item.guildId, inviter: facts.inviterId, result: synced });
      }
    }
  } catch (error) {
    logError("join log or reward roles failed after a write", error, { guild: item.guildId, kind: item.kind });
  }
}

/** The role of the source a join is attributed to (adding a role the member has is a no-op in Discord). */
async function giveSourceRole(db: Db, rest: DiscordRest, guildId: string, facts: JoinFacts) {
  if (facts.method === "unresolved" || facts.sourceId === null) return;
  const roleId = await sourceRole(db, facts.sourceId);
  if (roleId === null) return;
  const added = await discordRoles.add(rest, guildId, facts.userId, roleId);
  if (!added.ok) logInfo("could not give the source's role", { guild: guildId, user: facts.userId, role: roleId, error: added.error });
}
