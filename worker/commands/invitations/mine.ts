import { desc, and, eq } from "drizzle-orm";
import { invitations } from "../../../schema";
import { invitationLink } from "../../invitations/code";
import { DM_ATTEMPTS } from "../../invitations/dm";
import { invitationStatus } from "../../invitations/store";
import { fitLines, relativeTime } from "../../format/text";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

const SHOWN = 25;

/** /invitations mine: the caller's own invitations; links are shown to their owner only (ephemeral). */
export async function mineCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.guildId, ctx.guildId), eq(invitations.inviterId, ctx.userId)))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(SHOWN);
  if (rows.length === 0) return ok({ content: "You have no invitations in this server yet. Admins hand them out in waves." });
  const lines = rows.map((row) => {
    const status = invitationStatus(row, ctx.now);
    switch (status) {
      case "spent":
        return `✅ spent: <@${row.invitedId}> joined ${relativeTime(row.spentAt!)}`;
      case "revoked":
        return `⛔ revoked ${relativeTime(row.revokedAt!)}`;
      case "expired":
        return `⌛ expired ${relativeTime(row.expiresAt!)}`;
      case "unspent":
        return [
          `🎟️ ${invitationLink(ctx.env.PUBLIC_URL, row.code)}`,
          row.expiresAt ? `expires ${relativeTime(row.expiresAt)}` : "never expires",
          row.dmClosedAt ? "(your DMs were closed, so I could not send it to you)" : "",
          row.dmFailures >= DM_ATTEMPTS ? "(Discord would not deliver it to you by DM, so I stopped trying)" : "",
        ]
          .filter(Boolean)
          .join(" · ");
    }
  });
  return ok({
    embeds: [
      {
        title: "Your invitations",
        description: fitLines([...lines, "", "Each link lets one friend join. Give it to someone you vouch for; it is yours alone."]),
      },
    ],
  });
}
