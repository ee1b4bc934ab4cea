import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { JoinLogSettings } from "../../../schema";
import { snowflakeTime } from "../../inviters/counts";
import { checkTemplate, DEFAULT_JOIN_MESSAGE, DEFAULT_LEAVE_MESSAGE, describeAge, renderTemplate } from "../../join-log/template";
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
    const channel = snowflakeOption(ctx.call, "join_log_channel", "a channel");
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
    if (patch.joinLogChannelId) return fail({ kind: "invalid_option", option: "join_log_off", expected: "left out when a join_log_channel is given" });
    patch.joinLogChannelId = null;
  }
  return ok(patch);
}

/** The settings in force, with both templates filled in with the admin as the example member and inviter. */
export function joinLogEmbed(ctx: CommandContext, s: JoinLogSettings): APIEmbed {
  const values = {
    member: `<@${ctx.userId}>`,
    inviter: `<@${ctx.userId}>`,
    source: "Example source",
    code: "`AbCd123`",
    invites: "12",
    account_age: describeAge(ctx.now.getTime() - snowflakeTime(ctx.userId)),
  };
  return {
    title: "Inviters and join log",
    description: [
      `**Join log:** ${s.joinLogChannelId ? `<#${s.joinLogChannelId}>` : "off"}`,
      `**Fake accounts:** younger than ${s.fakeAccountAgeDays} day${s.fakeAccountAgeDays === 1 ? "" : "s"}`,
      `**Stay period:** ${s.countAfterDays === 0 ? "none (a join counts at once)" : `a join counts once the member stayed ${s.countAfterDays} day${s.countAfterDays === 1 ? "" : "s"}`}`,
      "",
      `**Join message preview:**\n> ${renderTemplate(s.joinMessage ?? DEFAULT_JOIN_MESSAGE, values)}`,
      `**Leave message preview:**\n> ${renderTemplate(s.leaveMessage ?? DEFAULT_LEAVE_MESSAGE, values)}`,
    ].join("\n"),
  };
}
