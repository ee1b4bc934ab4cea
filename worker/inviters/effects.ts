import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { discordRoles } from "../discord/roles";
import { deleteWithdrawnDiscordInvites } from "../invitations/withdraw";
import { joinFacts, postJoinLog, type JoinFacts } from "../join-log/post";
import { joinLogMode, joinsInMinuteBefore, postDueSummary, queueForSummary } from "../join-log/summary";
import { sourceRole } from "../store/source-roles";
import { logError, logInfo } from "../log";
import { loadJoinLogSettings } from "./settings";

/**
 * What follows a join's verdict or a departure once Postgres has it: the join
 * or leave message, and the newcomer's source role. No role is ever given to an
 * inviter for their count (Discord prohibits invite rewards). Past the raid
 * threshold a join waits for the join log's minute summary (join-log/summary.ts).
 * Returns when that summary is due, or null. Never throws: the row is written,
 * and a failure here must not hold back the outbox.
 */
export async function afterOutboxWrite(db: Db, env: Env, item: OutboxItem): Promise<number | null> {
  if (item.kind !== "join" && item.kind !== "member_left") return null;
  try {
    // Little patience: Discord's answer is not worth stalling the rows behind this one.
    const rest = DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });
    const left = item.kind === "member_left" || Boolean(item.leftAt);
    if (left) await deleteWithdrawnDiscordInvites(db, rest, item.guildId, new Date(), item.userId);
    const [settings, roles] = await Promise.all([
      loadJoinLogSettings(db, item.guildId),
      db.execute<{ sources: boolean }>(sql`select exists (select 1 from source_roles where guild_id = ${item.guildId}) as sources`),
    ]);
    if (!settings.joinLogChannelId && !roles.rows[0]!.sources) return null;
    const facts = await joinFacts(db, item.guildId, item.userId, env.DISCORD_APPLICATION_ID, item.kind === "join" ? new Date(item.joinedAt) : null);
    if (!facts) return null;
    const policy = { fakeAccountAgeDays: settings.fakeAccountAgeDays, botUserId: env.DISCORD_APPLICATION_ID };
    let summaryDue: number | null = null;
    if (item.kind === "join") {
      await giveSourceRole(db, rest, item.guildId, facts);
      if (settings.joinLogChannelId && joinLogMode(await joinsInMinuteBefore(db, item.guildId, facts.joinedAt)) === "summary") {
        await queueForSummary(db, facts.joinId);
        summaryDue = await postDueSummary(db, rest, settings);
      } else await postJoinLog(db, rest, settings, facts, "join", policy);
    }
    if (left) await postJoinLog(db, rest, settings, facts, "leave", policy);
    return summaryDue;
  } catch (error) {
    logError("join log or source role failed after a write", error, { guild: item.guildId, kind: item.kind });
    return null;
  }
}

/** The object's wake-up for a join log summary that came due with no join to carry it. */
export async function postJoinLogSummary(db: Db, env: Env, guildId: string): Promise<number | null> {
  try {
    return await postDueSummary(db, DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 }), await loadJoinLogSettings(db, guildId));
  } catch (error) {
    logError("join log summary failed", error, { guild: guildId });
    return null;
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
