import { checkCanPost } from "../../discord/channels";
import { formatSettings } from "../../format/settings";
import type { Reply } from "../../interactions/reply";
import { describeSlot, readSettingsChanges, SETTING_OPTIONS } from "../../settings/briefing-settings";
import { loadSettings, saveSettings } from "../../store/guild-settings";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";

/**
 * /invite settings [briefing_channel] [briefing_day] [briefing_hour] [timezone] [member_search]:
 * without options, the settings in force; with some, each is validated, a new
 * briefing channel is tried with a real post, and then all are saved at once.
 */
export async function inviteSettings(ctx: CommandContext): Promise<Outcome<Reply>> {
  const read = readSettingsChanges(ctx.call.options);
  if (!read.ok) return fail({ kind: "invalid_option", option: read.option, expected: read.expected });
  const { changes } = read;
  if (Object.keys(changes).length === 0) return ok({ embeds: [formatSettings(await loadSettings(ctx.db, ctx.guildId), false)] });

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
  return ok({ embeds: [formatSettings(await saveSettings(ctx.db, ctx.guildId, changes, ctx.userId), true)] });
}
