import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { joinFacts, postJoinLog } from "../join-log/post";
import { logError, logInfo } from "../log";
import { syncRewardRoles } from "../rewards/sync";
import { loadSettings } from "./settings";

/**
 * What follows a join's verdict or a departure once Postgres has it: the join
 * or leave message, and the inviter's reward roles. Never throws: the row is
 * written, and a failure here must not hold back the outbox.
 */
export async function afterOutboxWrite(db: Db, env: Env, item: OutboxItem): Promise<void> {
  if (item.kind === "invite") return;
  try {
    const [settings, rewards] = await Promise.all([
      loadSettings(db, item.guildId),
      db.execute(sql`select 1 from reward_roles where guild_id = ${item.guildId} limit 1`),
    ]);
    const hasRewards = rewards.rows.length > 0;
    if (!settings.joinLogChannelId && !hasRewards) return;
    const facts = await joinFacts(db, item.guildId, item.userId, env.DISCORD_APPLICATION_ID, item.kind === "join" ? new Date(item.joinedAt) : null);
    if (!facts) return;
    // Little patience: Discord's answer is not worth stalling the rows behind this one.
    const rest = DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });
    const policy = { fakeAccountAgeDays: settings.fakeAccountAgeDays, botUserId: env.DISCORD_APPLICATION_ID };
    if (item.kind === "join") await postJoinLog(db, rest, settings, facts, "join", policy);
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
