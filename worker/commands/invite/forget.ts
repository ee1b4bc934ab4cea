import type { Reply } from "../../interactions/reply";
import { forgetReport } from "../../format/forget";
import { eraseUserData } from "../../privacy/user-data";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

/** /invite forget member: erases what the bot keeps about one member in this server, and says what stays. */
export async function forgetCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = snowflakeOption(ctx.call, "member", { key: "expected.member" });
  if (!member.ok) return member;
  const erased = await eraseUserData(ctx.db, { userId: member.value, guildId: ctx.guildId }, "forget", { now: ctx.now });
  return ok({ content: forgetReport(member.value, erased, ctx.m) });
}
