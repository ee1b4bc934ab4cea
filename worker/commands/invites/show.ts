import { formatInviter } from "../../format/inviters";
import { countScope } from "../../inviters/scope";
import { countedUsesOfInviter, inviterCounts, latestInvitees } from "../../inviters/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

const LATEST_INVITEES = 10;

/** /invites show [member]: counts over all time, the uses counted on the member's invites, and the latest invitees. */
export async function showInvites(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = ctx.call.options.has("member") ? snowflakeOption(ctx.call, "member", { key: "expected.member" }) : ok(ctx.userId);
  if (!member.ok) return member;
  const scope = await countScope(ctx.db, ctx.env, ctx.guildId, { since: null }, ctx.now);
  const [counts, invitees, uses] = await Promise.all([
    inviterCounts(ctx.db, scope, member.value),
    latestInvitees(ctx.db, scope, member.value, LATEST_INVITEES),
    countedUsesOfInviter(ctx.db, ctx.guildId, member.value),
  ]);
  return ok({ embeds: [formatInviter(member.value, counts, invitees, uses, ctx.m)] });
}
