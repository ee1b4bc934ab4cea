import type { APIEmbed } from "discord-api-types/payloads/v10";
import { describeSlot, type BriefingSettings } from "../settings/briefing-settings";

/** `/invite settings`: what is in force, one line per setting. */
export function formatSettings(settings: BriefingSettings, changed: boolean): APIEmbed {
  return {
    title: changed ? "Settings saved" : "Settings",
    description: [
      `**Briefing channel:** ${settings.briefingChannelId ? `<#${settings.briefingChannelId}>` : "none (no weekly briefing is posted)"}`,
      `**Briefing time:** ${describeSlot(settings)}`,
      `**Member search:** ${settings.memberSearch ? "on (joins are confirmed with Discord's member search)" : "off"}`,
    ].join("\n"),
  };
}
