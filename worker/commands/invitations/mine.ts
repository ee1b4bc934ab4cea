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
  const { m } = ctx;
  if (rows.length === 0) return ok({ content: m.t("mine.none") });
  const lines = rows.map((row) => {
    const status = invitationStatus(row, ctx.now);
    switch (status) {
      case "spent":
        return m.t("mine.spent", { userId: row.invitedId ?? "", when: relativeTime(row.spentAt!) });
      case "revoked":
        return m.t("mine.revoked", { when: relativeTime(row.revokedAt!) });
      case "expired":
        return m.t("mine.expired", { when: relativeTime(row.expiresAt!) });
      case "unspent":
        return [
          `🎟️ ${invitationLink(ctx.env.PUBLIC_URL, row.code)}`,
          row.expiresAt ? m.t("invite_list.expires", { when: relativeTime(row.expiresAt) }) : m.t("invite_list.never_expires"),
          row.dmClosedAt ? m.t("mine.dms_closed") : "",
          row.dmFailures >= DM_ATTEMPTS ? m.t("mine.dm_gave_up") : "",
        ]
          .filter(Boolean)
          .join(" · ");
    }
  });
  return ok({
    embeds: [
      {
        title: m.t("mine.title"),
        description: fitLines([...lines, "", m.t("mine.footer")], undefined, m),
      },
    ],
  });
}
