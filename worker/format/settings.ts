import type { APIEmbed } from "discord-api-types/payloads/v10";
import { describeSlot, type BriefingSettings } from "../settings/briefing-settings";
import type { Messages } from "../i18n/messages";

/** `/invite settings`: what is in force, one line per setting. */
export function formatSettings(settings: BriefingSettings, changed: boolean, m: Messages): APIEmbed {
  return {
    title: changed ? m.t("settings.saved") : m.t("settings.title"),
    description: [
      settings.briefingChannelId ? m.t("settings.briefing_channel", { channelId: settings.briefingChannelId }) : m.t("settings.no_briefing_channel"),
      m.t("settings.briefing_time", { slot: describeSlot(settings, m) }),
      settings.memberSearch ? m.t("settings.member_search_on") : m.t("settings.member_search_off"),
    ].join("\n"),
  };
}
