import type { InvitationSettings } from "../../../schema";
import { checkCanPost } from "../../discord/channels";
import { readInvitationSettings, updateInvitationSettings } from "../../invitations/settings";
import { formatSettings } from "../../format/settings";
import type { Reply } from "../../interactions/reply";
import { describeSlot, readSettingsChanges, SETTING_OPTIONS } from "../../settings/briefing-settings";
import { loadSettings, saveSettings } from "../../store/guild-settings";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { describeSettings, readInvitationPatch } from "./invitation-settings";

/**
 * /invite settings: the briefing and member search options, and the invitation
 * options (invitation-settings.ts). Without options, the settings in force; with
 * some, every one is validated, a new briefing channel is tried with a real post,
 * and only then is anything saved.
 */
export async function inviteSettings(ctx: CommandContext): Promise<Outcome<Reply>> {
  const read = readSettingsChanges(ctx.call.options);
  if (!read.ok) return fail({ kind: "invalid_option", option: read.option, expected: read.expected });
  const invitationPatch = readInvitationPatch(ctx);
  if (!invitationPatch.ok) return invitationPatch;
  const { changes } = read;
  const invitationChanged = Object.keys(invitationPatch.value).length > 0;
  if (Object.keys(changes).length === 0 && !invitationChanged) {
    const [briefing, invitations] = await Promise.all([loadSettings(ctx.db, ctx.guildId), readInvitationSettings(ctx.db, ctx.guildId)]);
    return ok({ embeds: [formatSettings(briefing, false), invitationEmbed(invitations)] });
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
  const briefing = Object.keys(changes).length > 0 ? await saveSettings(ctx.db, ctx.guildId, changes, ctx.userId) : await loadSettings(ctx.db, ctx.guildId);
  // The guild's object does the member searches of new joins: it follows the switch.
  if (changes.memberSearch !== undefined) await ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId)).setMemberSearch(ctx.guildId, changes.memberSearch);
  const invitations = invitationChanged
    ? await updateInvitationSettings(ctx.db, ctx.guildId, invitationPatch.value)
    : await readInvitationSettings(ctx.db, ctx.guildId);
  return ok({ embeds: [formatSettings(briefing, true), invitationEmbed(invitations)] });
}

const invitationEmbed = (settings: InvitationSettings) => ({ title: "Invitation settings", description: describeSettings(settings) });
