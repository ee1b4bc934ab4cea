import { escapeMarkdown } from "../../format/text";
import { countsLine } from "../../format/inviters";
import { countScope } from "../../inviters/scope";
import { dropRankings } from "../../inviters/ranking";
import { addBonus, inviterCounts } from "../../inviters/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption, plainTextOption, snowflakeOption } from "../options";

/** /invite bonus member amount reason: an adjustment kept as its own row, with who made it and why. */
export async function bonusCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = snowflakeOption(ctx.call, "member", { key: "expected.member" });
  if (!member.ok) return member;
  const amount = integerOption(ctx.call, "amount", LIMITS.bonusAmount);
  if (!amount.ok) return amount;
  if (amount.value === 0) return fail({ kind: "invalid_option", option: "amount", expected: { key: "expected.nonzero" } });
  const reasonText = plainTextOption(ctx.call, "reason", LIMITS.bonusReason);
  if (!reasonText.ok) return reasonText;
  const reason = reasonText.value;
  await addBonus(ctx.db, { guildId: ctx.guildId, userId: member.value, amount: amount.value, reason, createdBy: ctx.userId });
  await dropRankings(ctx.db, ctx.guildId);
  const counts = await inviterCounts(ctx.db, await countScope(ctx.db, ctx.env, ctx.guildId, { since: null }, ctx.now), member.value);
  const signed = amount.value > 0 ? `+${ctx.m.number(amount.value)}` : ctx.m.number(amount.value);
  return ok({ content: ctx.m.t("bonus.done", { amount: signed, userId: member.value, reason: escapeMarkdown(reason), counts: countsLine(counts, ctx.m) }) });
}
