import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { deleteWithdrawnDiscordInvites } from "../invitations/withdraw";
import { joinFacts, postJoinLog } from "../join-log/post";
import { logError } from "../log";
import { loadJoinLogSettings } from "./settings";
import { postRaidAlert } from "../raids/post";

/**
 * What follows a join's verdict or a departure once Postgres has it: the join
 * or leave message. A source's role is no longer given here: Discord gives it on
 * accept, as the invite's mark (worker/marks); given by the bot after a guessed
 * verdict, it would look like a mark and turn the guess into a certainty. No role
 * is ever given to an inviter for their count (Discord prohibits invite rewards). Never throws: the
 * row is written, and a failure here must not hold back the outbox.
 */
export async function afterOutboxWrite(db: Db, env: Env, item: OutboxItem): Promise<void> {
  if (item.kind === "raid_alert") return postRaidAlert(db, env, item).catch((error: unknown) => logError("raid alert failed after its row", error, { guild: item.guildId }));
  if (item.kind !== "join" && item.kind !== "member_left") return;
  try {
    // Little patience: Discord's answer is not worth stalling the rows behind this one.
    const rest = DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });
    const left = item.kind === "member_left" || Boolean(item.leftAt);
    if (left) await deleteWithdrawnDiscordInvites(db, rest, item.guildId, new Date(), item.userId);
    const settings = await loadJoinLogSettings(db, item.guildId);
    if (!settings.joinLogChannelId) return;
    const facts = await joinFacts(db, item.guildId, item.userId, env.DISCORD_APPLICATION_ID, item.kind === "join" ? new Date(item.joinedAt) : null);
    if (!facts) return;
    const policy = { fakeAccountAgeDays: settings.fakeAccountAgeDays, countAfterDays: settings.countAfterDays, botUserId: env.DISCORD_APPLICATION_ID };
    if (item.kind === "join") await postJoinLog(db, rest, settings, facts, "join", policy);
    if (left) await postJoinLog(db, rest, settings, facts, "leave", policy);
  } catch (error) {
    logError("join log failed after a write", error, { guild: item.guildId, kind: item.kind });
  }
}
