import { discordInvites } from "../../discord/invites";
import { formatInviteList } from "../../format/invites";
import { labelsFor } from "../../store/invites";
import { markedCodes } from "../../marks/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";

/** /invite list: Discord's live invites (the truth for uses), labelled from our sources. */
export async function listInvites(ctx: CommandContext): Promise<Outcome<Reply>> {
  const listed = await discordInvites.list(ctx.rest, ctx.guildId);
  if (!listed.ok) return fail({ kind: "discord", failure: listed.error, action: { key: "action.list_invites" } });
  const codes = listed.value.map((i) => i.code);
  const [labels, marked] = await Promise.all([labelsFor(ctx.db, ctx.guildId, codes), markedCodes(ctx.db, ctx.guildId, codes)]);
  const rows = listed.value.map((invite) => ({
    code: invite.code,
    source: labels.get(invite.code) ?? null,
    uses: invite.uses,
    maxUses: invite.max_uses,
    expiresAt: invite.expires_at ? new Date(invite.expires_at) : null,
    marked: marked.has(invite.code),
  }));
  return ok({ embeds: [formatInviteList(rows, ctx.m)] });
}
