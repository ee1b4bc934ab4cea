import { eq } from "drizzle-orm";
import { inviteSources } from "../../../schema";
import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { escapeMarkdown } from "../../format/text";
import { liveInvitesOfSource, markInviteDeleted } from "../../store/invites";
import { findSource } from "../../store/sources";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { sourceNameOption } from "./source-option";

/**
 * /invite retire: deletes the source's invites on Discord and retires it.
 * Joins and the source row stay, so past stats still show where members came from.
 */
export async function retireSource(ctx: CommandContext): Promise<Outcome<Reply>> {
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;
  const source = await findSource(ctx.db, ctx.guildId, name.value);
  if (!source) return fail({ kind: "unknown_source", name: name.value });
  if (source.retiredAt) return fail({ kind: "source_already_retired", name: source.name });

  const live = await liveInvitesOfSource(ctx.db, source.id);
  for (const invite of live) {
    const deleted = await discordInvites.delete(ctx.rest, invite.code, `Invite source "${source.name}" retired by ${ctx.userId}`);
    const alreadyGone = !deleted.ok && deleted.error.kind === "discord" && deleted.error.code === DiscordErrorCode.UnknownInvite;
    // Stop at the first real failure: the source stays active so a retry finishes the job.
    if (!deleted.ok && !alreadyGone) return fail({ kind: "discord", failure: deleted.error, action: `delete the invite ${invite.code}` });
    await markInviteDeleted(ctx.db, invite.code, ctx.now);
  }
  await ctx.db.update(inviteSources).set({ retiredAt: ctx.now }).where(eq(inviteSources.id, source.id));
  const count = live.length === 1 ? "1 invite" : `${live.length} invites`;
  return ok({ content: `Retired **${escapeMarkdown(source.name)}**: deleted ${count}. Its past joins stay in the stats.` });
}
