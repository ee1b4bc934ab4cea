import type { JoinLogSettings } from "../../../schema";
import { snowflakeTime } from "../../inviters/counts";
import { loadSettings, saveSettings } from "../../inviters/settings";
import { checkTemplate, DEFAULT_JOIN_MESSAGE, DEFAULT_LEAVE_MESSAGE, describeAge, renderTemplate } from "../../join-log/template";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { booleanOption, integerOption, snowflakeOption, stringOption } from "../options";

type Patch = Partial<Omit<JoinLogSettings, "guildId">>;

/**
 * /invite settings: the join and leave log, the fake-account age and whether
 * reward roles are taken back. Every option is checked before anything is
 * saved, so a bad template leaves all settings as they were.
 */
export async function settingsCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const patch = readPatch(ctx);
  if (!patch.ok) return patch;
  const settings = Object.keys(patch.value).length === 0 ? await loadSettings(ctx.db, ctx.guildId) : await saveSettings(ctx.db, ctx.guildId, patch.value);
  const saved = Object.keys(patch.value).length > 0;
  return ok({ content: `${saved ? "Saved. " : ""}${describeSettings(settings)}\n\n${preview(ctx, settings)}` });
}

function readPatch(ctx: CommandContext): Outcome<Patch> {
  const patch: Patch = {};
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
  const remove = booleanOption(ctx.call, "remove_reward_on_drop");
  if (!remove.ok) return remove;
  if (remove.value !== undefined) patch.removeRewardOnDrop = remove.value;
  const off = booleanOption(ctx.call, "join_log_off");
  if (!off.ok) return off;
  if (off.value === true) {
    if (patch.joinLogChannelId) return fail({ kind: "invalid_option", option: "join_log_off", expected: "left out when a join_log_channel is given" });
    patch.joinLogChannelId = null;
  }
  return ok(patch);
}

function describeSettings(s: JoinLogSettings): string {
  return [
    `**Join log:** ${s.joinLogChannelId ? `<#${s.joinLogChannelId}>` : "off"}`,
    `**Fake accounts:** younger than ${s.fakeAccountAgeDays} day${s.fakeAccountAgeDays === 1 ? "" : "s"}`,
    `**Reward roles** are ${s.removeRewardOnDrop ? "taken back when a count drops below" : "kept once earned"}`,
  ].join("\n");
}

/** Both templates filled with the admin as the example member and inviter. */
function preview(ctx: CommandContext, s: JoinLogSettings): string {
  const values = {
    member: `<@${ctx.userId}>`,
    inviter: `<@${ctx.userId}>`,
    source: "Example source",
    code: "`AbCd123`",
    invites: "12",
    account_age: describeAge(ctx.now.getTime() - snowflakeTime(ctx.userId)),
  };
  return [
    `**Join message preview:**\n> ${renderTemplate(s.joinMessage ?? DEFAULT_JOIN_MESSAGE, values)}`,
    `**Leave message preview:**\n> ${renderTemplate(s.leaveMessage ?? DEFAULT_LEAVE_MESSAGE, values)}`,
  ].join("\n");
}
