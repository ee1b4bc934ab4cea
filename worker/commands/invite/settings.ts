import type { InvitationSettings } from "../../../schema";
import { checkCanPost } from "../../discord/channels";
import { readInvitationSettings, updateInvitationSettings } from "../../invitations/settings";
import { dropRankings } from "../../inviters/ranking";
import { loadJoinLogSettings, saveJoinLogSettings } from "../../inviters/settings";
import { formatSettings } from "../../format/settings";
import type { Reply } from "../../interactions/reply";
import { describeSlot, readSettingsChanges, SETTING_OPTIONS, type BriefingSettings } from "../../settings/briefing-settings";
import { loadSettings, saveSettings } from "../../store/guild-settings";
import type { CommandContext } from "../context";
import { requireGuildChannel } from "../channel-check";
import { fail, ok, type Outcome } from "../failures";
import { readInvitationPatch } from "./invitation-settings";
import { describeSettings } from "../../format/invitation-settings";
import { joinLogEmbed, readJoinLogPatch } from "./join-log-settings";
import { marksEmbed, readMarksOption } from "../../marks/settings";
import { readRemoveMarks, saveRemoveMarks } from "../../marks/store";
import { describeRaidSettings, objectThreshold, readRaidPatch, type RaidSettings } from "../../raids/settings";
import { loadRaidSettings, saveRaidSettings } from "../../raids/settings-store";
import { messages, type Messages } from "../../i18n/messages";
import { languageLine, readLanguageOption } from "../../i18n/language-option";
import { readGuildLanguages, saveLanguageOverride } from "../../i18n/server-locale";
import { serverLocale } from "../../i18n/resolve";

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
  const removeMarks = readMarksOption(ctx.call);
  if (!removeMarks.ok) return removeMarks;
  const raidPatch = readRaidPatch(ctx.call);
  if (!raidPatch.ok) return raidPatch;
  const language = readLanguageOption(ctx.call);
  if (!language.ok) return language;
  const { changes } = read;
  const briefingChanged = Object.keys(changes).length > 0;
  const invitationChanged = Object.keys(invitationPatch.value).length > 0;
  const joinLogChanged = Object.keys(joinLogPatch.value).length > 0;
  const raidChanged = Object.keys(raidPatch.value).length > 0;
  if (!briefingChanged && !invitationChanged && !joinLogChanged && !raidChanged && removeMarks.value === undefined && language.value === undefined) {
    const [briefing, invitations, joinLog, marks, raid, languages] = await Promise.all([
      loadSettings(ctx.db, ctx.guildId),
      readInvitationSettings(ctx.db, ctx.guildId),
      loadJoinLogSettings(ctx.db, ctx.guildId),
      readRemoveMarks(ctx.db, ctx.guildId),
      loadRaidSettings(ctx.db, ctx.guildId),
      readGuildLanguages(ctx.db, ctx.guildId),
    ]);
    return ok({ embeds: [briefingEmbed(briefing, false, languages, ctx.m), invitationEmbed(invitations, ctx.m), joinLogEmbed(ctx, joinLog), marksEmbed(marks, ctx.m), raidEmbed(raid, ctx.m)] });
  }

  // The invitation, welcome, join log and raid alert channels must be this server's (the briefing channel is checked by a real post, below).
  for (const channelId of [invitationPatch.value.invitationChannelId, invitationPatch.value.welcomeChannelId, joinLogPatch.value.joinLogChannelId, raidPatch.value.channelId]) {
    if (!channelId) continue;
    const own = await requireGuildChannel(ctx, channelId);
    if (!own.ok) return own;
  }
  if (changes.briefingChannelId) {
    // The check is a post in the channel: in the server's language (the one being chosen, if any).
    const stored = await readGuildLanguages(ctx.db, ctx.guildId);
    const server = messages(serverLocale(language.value === undefined ? stored.override : language.value, stored.guildLocale));
    const slot = describeSlot({ ...(await loadSettings(ctx.db, ctx.guildId)), ...changes }, server);
    const check = await checkCanPost(ctx.rest, ctx.guildId, changes.briefingChannelId, server.t("settings.briefing_check", { slot }));
    if (!check.ok) {
      switch (check.problem) {
        case "not_in_guild":
          return fail({ kind: "unknown_channel" });
        case "not_text":
          return fail({ kind: "invalid_option", option: SETTING_OPTIONS.channel, expected: { key: "expected.text_or_announcement_channel" } });
        case "forbidden":
          return fail({ kind: "cannot_post_in_channel", channelId: changes.briefingChannelId });
        case "discord":
          return fail({ kind: "discord", failure: check.failure, action: { key: "action.check_can_post" } });
      }
    }
  }
  const { briefing, invitations, joinLog, marks, raid, languages } = await ctx.db.transaction(async (tx) => ({
    briefing: briefingChanged ? await saveSettings(tx, ctx.guildId, changes, ctx.userId) : await loadSettings(tx, ctx.guildId),
    invitations: invitationChanged ? await updateInvitationSettings(tx, ctx.guildId, invitationPatch.value) : await readInvitationSettings(tx, ctx.guildId),
    joinLog: joinLogChanged ? await saveJoinLogSettings(tx, ctx.guildId, joinLogPatch.value) : await loadJoinLogSettings(tx, ctx.guildId),
    marks: removeMarks.value === undefined ? await readRemoveMarks(tx, ctx.guildId) : (await saveRemoveMarks(tx, ctx.guildId, removeMarks.value), removeMarks.value),
    raid: raidChanged ? await saveRaidSettings(tx, ctx.guildId, raidPatch.value) : await loadRaidSettings(tx, ctx.guildId),
    languages: language.value === undefined ? await readGuildLanguages(tx, ctx.guildId) : (await saveLanguageOverride(tx, ctx.guildId, language.value), await readGuildLanguages(tx, ctx.guildId)),
  }));
  // The stay period changes who counts: stored rankings are recomputed at their next read.
  if (joinLogPatch.value.countAfterDays !== undefined) await dropRankings(ctx.db, ctx.guildId);
  // The guild's object does the member searches of new joins: it follows the switch.
  if (changes.memberSearch !== undefined) await ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId)).setMemberSearch(ctx.guildId, changes.memberSearch);
  // The object detects raids (worker/raids): it counts against the threshold in force.
  if (raidChanged) await ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId)).setRaidThreshold(objectThreshold(raid));
  return ok({ embeds: [briefingEmbed(briefing, true, languages, ctx.m), invitationEmbed(invitations, ctx.m), joinLogEmbed(ctx, joinLog), marksEmbed(marks, ctx.m), raidEmbed(raid, ctx.m)] });
}

/** The briefing settings with the language of public posts under them. */
function briefingEmbed(settings: BriefingSettings, changed: boolean, languages: Awaited<ReturnType<typeof readGuildLanguages>>, m: Messages) {
  const embed = formatSettings(settings, changed, m);
  return { ...embed, description: `${embed.description}\n${languageLine(languages.override, languages.guildLocale, m)}` };
}

const raidEmbed = (settings: RaidSettings, m: Messages) => ({ title: m.t("raid_settings.title"), description: describeRaidSettings(settings, m) });

const invitationEmbed = (settings: InvitationSettings, m: Messages) => ({ title: m.t("invitation_settings.title"), description: describeSettings(settings, m) });
