import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { deleteWithdrawnDiscordInvites } from "../invitations/withdraw";
import { joinFacts, postJoinLog } from "../join-log/post";
import { joinLogMode, joinsInMinuteBefore, postDueSummary, queueForSummary } from "../join-log/summary";
import { logError } from "../log";
import type { JoinLogSettings } from "../../schema";
import { loadJoinLogSettings } from "./settings";
import { postRaidAlert } from "../raids/post";

/** Little patience: Discord's answer is not worth stalling the outbox rows behind a post. */
const joinLogRest = (env: Env) => DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });

/**
 * What follows a join's verdict or a departure once Postgres has it: the join
 * or leave message. A source's role is no longer given here: Discord gives it on
 * accept, as the invite's mark (worker/marks); given by the bot after a guessed
 * verdict, it would look like a mark and turn the guess into a certainty. No role
 * is ever given to an inviter for their count (Discord prohibits invite rewards).
 * Past the raid threshold a join waits for the join log's minute summary
 * (join-log/summary.ts). Returns when that summary is due, or null. Never throws:
 * the row is written, and a failure here must not hold back the outbox.
 */
export async function afterOutboxWrite(db: Db, env: Env, item: OutboxItem): Promise<number | null> {
  return afterOutboxWrites(db, env, [item]);
}

/**
 * The same for a run of one guild's items, in order, reading the guild's join log
 * settings once: a raid writes hundreds of rows a second, and a query per row
 * would hold the outbox back. Returns when the summary is due, or null.
 */
export async function afterOutboxWrites(db: Db, env: Env, items: readonly OutboxItem[]): Promise<number | null> {
  let settings: Promise<JoinLogSettings> | undefined;
  let due: number | null = null;
  for (const item of items) {
    const next = await afterOne(db, env, item, () => (settings ??= loadJoinLogSettings(db, item.guildId)));
    if (next !== null) due = next;
  }
  return due;
}

async function afterOne(db: Db, env: Env, item: OutboxItem, joinLogSettings: () => Promise<JoinLogSettings>): Promise<number | null> {
  if (item.kind === "raid_alert") {
    await postRaidAlert(db, env, item).catch((error: unknown) => logError("raid alert failed after its row", error, { guild: item.guildId }));
    return null;
  }
  if (item.kind !== "join" && item.kind !== "member_left") return null;
  try {
    const rest = joinLogRest(env);
    const left = item.kind === "member_left" || Boolean(item.leftAt);
    if (left) await deleteWithdrawnDiscordInvites(db, rest, item.guildId, new Date(), item.userId);
    const settings = await joinLogSettings();
    if (!settings.joinLogChannelId) return null;
    const facts = await joinFacts(db, item.guildId, item.userId, env.DISCORD_APPLICATION_ID, item.kind === "join" ? new Date(item.joinedAt) : null);
    if (!facts) return null;
    const policy = { fakeAccountAgeDays: settings.fakeAccountAgeDays, countAfterDays: settings.countAfterDays, botUserId: env.DISCORD_APPLICATION_ID };
    let summaryDue: number | null = null;
    if (item.kind === "join") {
      if (joinLogMode(await joinsInMinuteBefore(db, item.guildId, facts.joinedAt)) === "summary") {
        await queueForSummary(db, facts.joinId);
        summaryDue = await postDueSummary(db, rest, settings);
      } else await postJoinLog(db, rest, settings, facts, "join", policy);
    }
    if (left) await postJoinLog(db, rest, settings, facts, "leave", policy);
    return summaryDue;
  } catch (error) {
    logError("join log failed after a write", error, { guild: item.guildId, kind: item.kind });
    return null;
  }
}

/** The object's wake-up for a join log summary that came due with no join to carry it. */
export async function postJoinLogSummary(db: Db, env: Env, guildId: string): Promise<number | null> {
  try {
    return await postDueSummary(db, joinLogRest(env), await loadJoinLogSettings(db, guildId));
  } catch (error) {
    logError("join log summary failed", error, { guild: guildId });
    return null;
  }
}
