import type { InteractionContext } from "../commands/context";
import { fail, ok, type Outcome } from "../commands/failures";
import { DiscordErrorCode, discordInvites } from "../discord/invites";
import { inlineCode } from "../format/text";
import type { Reply } from "../interactions/reply";
import { LIST_PAGE_SIZE, memberListPage, type RaidButton } from "./message";
import { guildInviteKnown, raidFacts, raidMembers, raidOfGuild } from "./record";

/** Far more pages than any raid has; bounds the OFFSET a forged custom_id can ask for. */
const MAX_PAGE = 10_000;

/** A press on a raid alert's button (Manage Server is checked before this, on the server's side). */
export function raidButton(ctx: InteractionContext, button: RaidButton): Promise<Outcome<Reply>> {
  switch (button.kind) {
    case "pause":
      return pauseInvite(ctx, button.code);
    case "list":
      return listMembers(ctx, button.alertId, Math.min(button.page, MAX_PAGE));
  }
}

/**
 * Deletes the Discord invite the raid comes through. Only the invite goes:
 * its source and history stay, and `/invite create` makes a fresh one. The
 * code must be this server's: a custom_id can name any invite.
 */
async function pauseInvite(ctx: InteractionContext, code: string): Promise<Outcome<Reply>> {
  if (!(await guildInviteKnown(ctx.db, ctx.guildId, code))) return fail({ kind: "unknown_invite", code });
  const deleted = await discordInvites.delete(ctx.rest, code, `Raid alert: paused by ${ctx.userId}`);
  const gone = deleted.ok || (deleted.error.kind === "discord" && deleted.error.code === DiscordErrorCode.UnknownInvite);
  if (!gone) return fail({ kind: "discord", failure: deleted.error, action: { key: "action.delete_invite", values: { code: inlineCode(code) } } });
  return ok({ content: ctx.m.t("raid.paused", { code: inlineCode(code) }) });
}

/** A page of who joined through the raid's invite (or through none) in its window. */
async function listMembers(ctx: InteractionContext, alertId: number, page: number): Promise<Outcome<Reply>> {
  const raid = await raidOfGuild(ctx.db, ctx.guildId, alertId);
  if (!raid) return fail({ kind: "unknown_component" });
  const [{ sourceName }, { members, total }] = await Promise.all([
    raidFacts(ctx.db, ctx.guildId, raid),
    raidMembers(ctx.db, ctx.guildId, raid, page * LIST_PAGE_SIZE, LIST_PAGE_SIZE),
  ]);
  // A press past the end (a stale page) shows the last page.
  const last = Math.max(0, Math.ceil(total / LIST_PAGE_SIZE) - 1);
  if (page > last) return listMembers(ctx, alertId, last);
  return ok({ ...memberListPage({ ...raid, alertId: raid.id, sourceName }, members, total, page, ctx.m), ephemeral: true });
}
