import { and, eq, isNull, sql } from "drizzle-orm";
import { invitations, invites } from "../../../schema";
import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { lockGuildInvitations } from "../../invitations/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

/**
 * /invite revoke member: their unspent invitations stop working, and the
 * Discord invites that could still bring someone in on their behalf (those
 * made for their invitations and those they created) are deleted.
 */
export async function revokeCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = snowflakeOption(ctx.call, "member", { key: "expected.member" });
  if (!member.ok) return member;
  const revoked = await ctx.db.transaction(async (tx) => {
    await lockGuildInvitations(tx, ctx.guildId);
    return tx
      .update(invitations)
      .set({ revokedAt: ctx.now })
      .where(
        and(
          eq(invitations.guildId, ctx.guildId),
          eq(invitations.inviterId, member.value),
          isNull(invitations.spentAt),
          isNull(invitations.revokedAt),
          sql`(${invitations.expiresAt} is null or ${invitations.expiresAt} > ${ctx.now.toISOString()}::timestamptz)`,
        ),
      )
      .returning({ discordInviteCode: invitations.discordInviteCode });
  });
  const own = await ctx.db
    .select({ code: invites.code })
    .from(invites)
    .where(and(eq(invites.guildId, ctx.guildId), eq(invites.inviterId, member.value), isNull(invites.deletedAt)));
  const codes = [...new Set([...revoked.flatMap((r) => (r.discordInviteCode ? [r.discordInviteCode] : [])), ...own.map((o) => o.code)])];
  let deleted = 0;
  for (const code of codes) {
    const result = await discordInvites.delete(ctx.rest, code, `Invitations of ${member.value} revoked by ${ctx.userId}`);
    // An invite already gone (used, expired, deleted) is what we wanted.
    if (result.ok || (result.error.kind === "discord" && result.error.code === DiscordErrorCode.UnknownInvite)) deleted++;
    else return fail({ kind: "discord", failure: result.error, action: { key: "action.delete_invite_revoked", values: { code } } });
  }
  return ok({ content: ctx.m.t("revoke.done", { count: revoked.length, userId: member.value, deleted }) });
}
