import { LINK_TTL_S, signLink } from "../../dashboard/token";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

/** /invite dashboard: a link for this admin, signed over guild, admin and expiry, valid for one hour. Ephemeral: the link is the key. */
export async function dashboardCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const expiresAt = Math.floor(ctx.now.getTime() / 1000) + LINK_TTL_S;
  const token = await signLink(ctx.env.DISCORD_BOT_TOKEN, { guildId: ctx.guildId, adminId: ctx.userId, expiresAt });
  return ok({
    content: ctx.m.t("dashboard.link", { at: expiresAt, url: `${ctx.env.PUBLIC_URL}/dashboard?t=${token}` }),
    ephemeral: true,
  });
}
