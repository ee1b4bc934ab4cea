import { isPolicyName } from "../../invitations/policy";
import type { SettingsPatch } from "../../invitations/settings";
import type { InvitationSettings } from "../../../schema";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { optionalInteger, snowflakeOption, stringOption } from "../options";
import type { Messages } from "../../i18n/messages";

/**
 * The invitation options of /invite settings: scheduled waves, their policy and
 * size, the growth autopilot, the channels. Options left out keep their value.
 */
export function readInvitationPatch(ctx: CommandContext): Outcome<SettingsPatch> {
  const patch: SettingsPatch = {};
  const integers = [
    ["wave_size", "waveSize", LIMITS.waveSize],
    ["wave_min_days", "waveMinDays", LIMITS.minDays],
    ["wave_every_days", "waveEveryDays", LIMITS.waveEveryDays],
    ["expires_days", "expiresDays", LIMITS.expiresDays],
    ["growth_target", "growthTarget", LIMITS.growthTarget],
  ] as const;
  for (const [option, field, range] of integers) {
    const value = optionalInteger(ctx.call, option, range);
    if (!value.ok) return value;
    if (value.value === undefined) continue;
    if (field === "growthTarget") patch.growthTarget = value.value === 0 ? null : value.value;
    else patch[field] = value.value;
  }
  if (ctx.call.options.has("wave_policy")) {
    const policy = stringOption(ctx.call, "wave_policy");
    if (!policy.ok) return policy;
    if (!isPolicyName(policy.value)) return fail({ kind: "invalid_option", option: "wave_policy", expected: { key: "expected.policy" } });
    patch.wavePolicy = policy.value;
  }
  for (const [option, field] of [
    ["invitation_channel", "invitationChannelId"],
    ["welcome_channel", "welcomeChannelId"],
  ] as const) {
    if (!ctx.call.options.has(option)) continue;
    const channel = snowflakeOption(ctx.call, option, { key: "expected.channel" });
    if (!channel.ok) return channel;
    patch[field] = channel.value;
  }
  return ok(patch);
}

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
