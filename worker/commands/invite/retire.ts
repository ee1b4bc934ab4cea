import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { escapeMarkdown } from "../../format/text";
import { claimLiveInvites, releaseInvites } from "../../store/invites";
import { findSource, markSourceRetired, withSourceLock } from "../../store/sources";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { sourceNameOption } from "./source-option";
import { booleanOption } from "../options";
import { retireMarkNote } from "../../marks/policy";
import { retireMarks } from "../../marks/retire";


/**
 * /invite retire: retires the source and deletes its invites on Discord.
 * Joins and the source row stay, so past stats still show where members came from.
 *
 * Under the source's lock, the source is marked retired and its live invites
 * are claimed; Discord calls happen after, outside any transaction. A create
 * racing it either lands first (its invite is claimed and deleted here) or
 * after (it revives the source), never a live invite on a retired source.
 */
export async function retireSource(ctx: CommandContext): Promise<Outcome<Reply>> {
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;
  const deleteMark = booleanOption(ctx.call, "delete_mark");
  if (!deleteMark.ok) return deleteMark;
  const claimed = await withSourceLock(ctx.db, ctx.guildId, name.value.key, async (tx) => {
    const source = await findSource(tx, ctx.guildId, name.value.key);
    if (!source) return fail({ kind: "unknown_source", name: name.value.name });
    const codes = await claimLiveInvites(tx, source.id, ctx.now);
    // A retired source may still have invites left by a retire that stopped part-way: finish those.
    if (source.retiredAt && codes.length === 0) return fail({ kind: "source_already_retired", name: source.name });
    if (!source.retiredAt) await markSourceRetired(tx, source.id, ctx.now);
    return ok({ source, codes });
  });
  if (!claimed.ok) return claimed;
  const { source, codes } = claimed.value;

  for (const [i, code] of codes.entries()) {
    const deleted = await discordInvites.delete(ctx.rest, code, `Invite source "${source.name}" retired by ${ctx.userId}`);
    const alreadyGone = !deleted.ok && deleted.error.kind === "discord" && deleted.error.code === DiscordErrorCode.UnknownInvite;
    if (!deleted.ok && !alreadyGone) {
      // The rest are still live on Discord: hand them back so a second retire finishes the job.
      await releaseInvites(ctx.db, codes.slice(i), ctx.now);
      return fail({ kind: "retire_incomplete", name: source.name, deleted: i, remaining: codes.length - i, code, failure: deleted.error });
    }
  }
  const marks = await retireMarks(ctx, source.id, deleteMark.value);
  return ok({
    content: `${ctx.m.t("retire.done", { name: escapeMarkdown(source.name), count: codes.length })}${retireMarkNote(marks, deleteMark.value, ctx.m)}`,
  });
}
