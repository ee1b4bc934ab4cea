import { isPolicyName } from "../../invitations/policy";
import type { SettingsPatch } from "../../invitations/settings";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { optionalInteger, snowflakeOption, stringOption } from "../options";

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
