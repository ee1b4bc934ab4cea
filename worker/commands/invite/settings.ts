import type { InvitationSettings } from "../../../schema";
import { checkCanPost } from "../../discord/channels";
import { readInvitationSettings, updateInvitationSettings } from "../../invitations/settings";
import { dropRankings } from "../../inviters/ranking";
import { loadJoinLogSettings, saveJoinLogSettings } from "../../inviters/settings";
import { formatSettings } from "../../format/settings";
import type { Reply } from "../../interactions/reply";
import { describeSlot, readSettingsChanges, SETTING_OPTIONS } from "../../settings/briefing-settings";
import { loadSettings, saveSettings } from "../../store/guild-settings";
import type { CommandContext } from "../context";
import { requireGuildChannel } from "../channel-check";
import { fail, ok, type Outcome } from "../failures";
import { describeSettings, readInvitationPatch } from "./invitation-settings";
import { joinLogEmbed, readJoinLogPatch } from "./join-log-settings";
import { marksEmbed, readMarksOption } from "../../marks/settings";
import { readRemoveMarks, saveRemoveMarks } from "../../marks/store";
import { describeRaidSettings, objectThreshold, readRaidPatch, type RaidSettings } from "../../raids/settings";
import { loadRaidSettings, saveRaidSettings } from "../../raids/settings-store";

/**
 * /invite settings: the briefing and member search options, the invitation
 * options (invitation-settings.ts) and the join log options
 * (join-log-settings.ts). Without options, the settings in force; with some,
 * every one is validated, every new channel must be this server's, a new
 * briefing channel is tried with a real post, and only then is anything saved,
 * in one transaction.
 */
export async function inviteSettings(ctx: CommandContext): Promise<Outcome<Reply>> {
  const read = readSettingsChanges(ctx.call.options);
  if (!read.ok) return fail({ kind: "invalid_option", option: read.option, expected: read.expected });
  const invitationPatch = readInvitationPatch(ctx);
  if (!invitationPatch.ok) return invitationPatch;
  const joinLogPatch = readJoinLogPatch(ctx);
  if (!joinLogPatch.ok) return joinLogPatch;
  const removeMarks = readMarksOption(ctx);
  if (!removeMarks.ok) return removeMarks;
  const raidPatch = readRaidPatch(ctx.call);
  if (!raidPatch.ok) return raidPatch;
  const { changes } = read;
  const briefingChanged = Object.keys(changes).length > 0;
  const invitationChanged = Object.keys(invitationPatch.value).length > 0;
  const joinLogChanged = Object.keys(joinLogPatch.value).length > 0;
  const raidChanged = Object.keys(raidPatch.value).length > 0;
  if (!briefingChanged && !invitationChanged && !joinLogChanged && !raidChanged && removeMarks.value === undefined) {
    const [briefing, invitations, joinLog, marks, raid] = await Promise.all([
      loadSettings(ctx.db, ctx.guildId),
      readInvitationSettings(ctx.db, ctx.guildId),
      loadJoinLogSettings(ctx.db, ctx.guildId),
      readRemoveMarks(ctx.db, ctx.guildId),
      loadRaidSettings(ctx.db, ctx.guildId),
    ]);
    return ok({ embeds: [formatSettings(briefing, false), invitationEmbed(invitations), joinLogEmbed(ctx, joinLog), marksEmbed(marks), raidEmbed(raid)] });
  }

  // The invitation, welcome, join log and raid alert channels must be this server's (the briefing channel is checked by a real post, below).
  for (const channelId of [invitationPatch.value.invitationChannelId, invitationPatch.value.welcomeChannelId, joinLogPatch.value.joinLogChannelId, raidPatch.value.channelId]) {
    if (!channelId) continue;
    const own = await requireGuildChannel(ctx, channelId);
    if (!own.ok) return own;
  }
  if (changes.briefingChannelId) {
    const slot = describeSlot({ ...(await loadSettings(ctx.db, ctx.guildId)), ...changes });
    const check = await checkCanPost(ctx.rest, ctx.guildId, changes.briefingChannelId, `📊 The weekly invite briefing will be posted here, every ${slot}.`);
    if (!check.ok) {
      switch (check.problem) {
        case "not_in_guild":
          return fail({ kind: "unknown_channel" });
        case "not_text":
          return fail({ kind: "invalid_option", option: SETTING_OPTIONS.channel, expected: "a text or announcement channel" });
        case "forbidden":
          return fail({ kind: "cannot_post_in_channel", channelId: changes.briefingChannelId });
        case "discord":
          return fail({ kind: "discord", failure: check.failure, action: "check that I can post in that channel" });
      }
    }
  }
  const { briefing, invitations, joinLog, marks, raid } = await ctx.db.transaction(async (tx) => ({
    briefing: briefingChanged ? await saveSettings(tx, ctx.guildId, changes, ctx.userId) : await loadSettings(tx, ctx.guildId),
    invitations: invitationChanged ? await updateInvitationSettings(tx, ctx.guildId, invitationPatch.value) : await readInvitationSettings(tx, ctx.guildId),
    joinLog: joinLogChanged ? await saveJoinLogSettings(tx, ctx.guildId, joinLogPatch.value) : await loadJoinLogSettings(tx, ctx.guildId),
    marks: removeMarks.value === undefined ? await readRemoveMarks(tx, ctx.guildId) : (await saveRemoveMarks(tx, ctx.guildId, removeMarks.value), removeMarks.value),
    raid: raidChanged ? await saveRaidSettings(tx, ctx.guildId, raidPatch.value) : await loadRaidSettings(tx, ctx.guildId),
  }));
  // The stay period changes who counts: stored rankings are recomputed at their next read.
  if (joinLogPatch.value.countAfterDays !== undefined) await dropRankings(ctx.db, ctx.guildId);
  // The guild's object does the member searches of new joins: it follows the switch.
  if (changes.memberSearch !== undefined) await ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId)).setMemberSearch(ctx.guildId, changes.memberSearch);
  // The object detects raids (worker/raids): it counts against the threshold in force.
  if (raidChanged) await ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId)).setRaidThreshold(objectThreshold(raid));
  return ok({ embeds: [formatSettings(briefing, true), invitationEmbed(invitations), joinLogEmbed(ctx, joinLog), marksEmbed(marks), raidEmbed(raid)] });
}

const raidEmbed = (settings: RaidSettings) => ({ title: "Raid alerts", description: describeRaidSettings(settings) });

const invitationEmbed = (settings: InvitationSettings) => ({ title: "Invitation settings", description: describeSettings(settings) });
