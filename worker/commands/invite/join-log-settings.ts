import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { JoinLogSettings } from "../../../schema";
import { snowflakeTime } from "../../inviters/counts";
import { checkTemplate, defaultJoinMessage, defaultLeaveMessage, describeAge, renderTemplate } from "../../join-log/template";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { booleanOption, integerOption, snowflakeOption, stringOption } from "../options";

export type JoinLogPatch = Partial<Omit<JoinLogSettings, "guildId">>;

/**
 * The inviter options of /invite settings: the join and leave log and the
 * fake-account age. Options left out
 * keep their value; a bad template refuses the whole command.
 */
export function readJoinLogPatch(ctx: CommandContext): Outcome<JoinLogPatch> {
  const patch: JoinLogPatch = {};
  const has = (name: string) => ctx.call.options.has(name);
  if (has("join_log_channel")) {
    const channel = snowflakeOption(ctx.call, "join_log_channel", { key: "expected.channel" });
    if (!channel.ok) return channel;
    patch.joinLogChannelId = channel.value;
  }
  for (const [option, key] of [
    ["join_message", "joinMessage"],
    ["leave_message", "leaveMessage"],
  ] as const) {
    if (!has(option)) continue;
    const text = stringOption(ctx.call, option);
    if (!text.ok) return text;
    const problems = checkTemplate(text.value);
    if (problems.length > 0) return fail({ kind: "invalid_template", option, problems });
    patch[key] = text.value;
  }
  if (has("fake_account_age_days")) {
    const days = integerOption(ctx.call, "fake_account_age_days", LIMITS.fakeAccountAgeDays);
    if (!days.ok) return days;
    patch.fakeAccountAgeDays = days.value;
  }
  if (has("count_after_days")) {
    const days = integerOption(ctx.call, "count_after_days", LIMITS.countAfterDays);
    if (!days.ok) return days;
    patch.countAfterDays = days.value;
  }
  const off = booleanOption(ctx.call, "join_log_off");
  if (!off.ok) return off;
  if (off.value) {
    if (patch.joinLogChannelId) return fail({ kind: "invalid_option", option: "join_log_off", expected: { key: "expected.join_log_off_without_channel" } });
    patch.joinLogChannelId = null;
  }
  return ok(patch);
}

/** The settings in force, with both templates filled in with the admin as the example member and inviter. */
export function joinLogEmbed(ctx: CommandContext, s: JoinLogSettings): APIEmbed {
  const { m } = ctx;
  const values = {
    member: `<@${ctx.userId}>`,
    inviter: `<@${ctx.userId}>`,
    source: m.t("join_log_settings.example_source"),
    code: "`AbCd123`",
    invites: "12",
    account_age: describeAge(ctx.now.getTime() - snowflakeTime(ctx.userId), m),
  };
  return {
    title: m.t("join_log_settings.title"),
    description: [
      s.joinLogChannelId ? m.t("join_log_settings.channel", { channelId: s.joinLogChannelId }) : m.t("join_log_settings.off"),
      m.t("join_log_settings.fake_accounts", { days: s.fakeAccountAgeDays }),
      s.countAfterDays === 0 ? m.t("join_log_settings.no_stay_period") : m.t("join_log_settings.stay_period", { days: s.countAfterDays }),
      "",
      m.t("join_log_settings.join_preview", { preview: renderTemplate(s.joinMessage ?? defaultJoinMessage(m), values) }),
      m.t("join_log_settings.leave_preview", { preview: renderTemplate(s.leaveMessage ?? defaultLeaveMessage(m), values) }),
    ].join("\n"),
  };
}
