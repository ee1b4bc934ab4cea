import type { InvitationSettings } from "../../schema";
import type { Messages } from "../i18n/messages";

/** `/invite settings`: the invitation settings in force. */
export function describeSettings(s: InvitationSettings, m: Messages): string {
  const wave = { every: s.waveEveryDays, policy: s.wavePolicy, minDays: s.waveMinDays, size: s.waveSize };
  const schedule =
    s.waveSize === 0
      ? m.t("invitation_settings.waves_off")
      : s.growthTarget
        ? m.t("invitation_settings.waves_autopilot", { ...wave, target: s.growthTarget })
        : m.t("invitation_settings.waves", wave);
  return [
    schedule,
    s.expiresDays === 0 ? m.t("invitation_settings.never_expire") : m.t("invitation_settings.expire", { days: s.expiresDays }),
    s.invitationChannelId ? m.t("invitation_settings.channel", { channelId: s.invitationChannelId }) : m.t("invitation_settings.channel_unset"),
    s.welcomeChannelId ? m.t("invitation_settings.welcome", { channelId: s.welcomeChannelId }) : m.t("invitation_settings.welcome_unset"),
  ].join("\n");
}
