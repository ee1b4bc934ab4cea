import type { Db } from "../db";
import { messages } from "../discord/messages";
import { DiscordRest } from "../discord/rest";
import { NO_MENTIONS } from "../interactions/reply";
import { logInfo } from "../log";
import type { RaidAlertItem } from "./alert-item";
import { raidMessage } from "./message";
import { loadRaidSettings } from "./settings-store";
import { noteAlertMessage, raidByKey, raidFacts } from "./record";
import { serverMessages } from "../i18n/server-locale";

/**
 * After its row (recordRaid, the outbox's write): posts the raid's alert, or edits the one already posted, in
 * the channel of `/invite settings raid_alert_channel`. The item follows the
 * verdicts that raised it in the outbox, so their rows are there to count.
 * A failure is logged and dropped: the next update of the raid posts again.
 */
export async function postRaidAlert(db: Db, env: Env, item: RaidAlertItem): Promise<void> {
  const settings = await loadRaidSettings(db, item.guildId);
  if (settings.channelId === null) return;
  const raid = await raidByKey(db, item.guildId, item.raidKey);
  if (!raid) return;
  const facts = await raidFacts(db, item.guildId, raid);
  const body = {
    ...raidMessage({
      ...facts,
      alertId: raid.id,
      inviteCode: raid.inviteCode,
      phase: item.phase,
      startedAt: raid.startedAt,
      lastJoinAt: raid.lastJoinAt,
      endedAt: raid.endedAt,
      joins: item.joins,
      perMinute: item.perMinute,
      peakPerMinute: item.peakPerMinute,
    }, await serverMessages(db, item.guildId)),
    allowed_mentions: NO_MENTIONS,
  };
  // Little patience: the rows queued behind this one matter more than the alert's speed.
  const rest = DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 3_000 });
  if (raid.messageId !== null && raid.channelId !== null) {
    const edited = await messages.edit(rest, raid.channelId, raid.messageId, body);
    if (edited.ok) return;
    logInfo("could not edit the raid alert; posting it again", { guild: item.guildId, error: edited.error });
  }
  const posted = await messages.post(rest, item.guildId, settings.channelId, body);
  if (!posted.ok) {
    logInfo("could not post the raid alert", { guild: item.guildId, error: posted.error });
    return;
  }
  await noteAlertMessage(db, raid.id, settings.channelId, posted.value.id);
}
