import type { CommandContext } from "../commands/context";
import { fail, ok, type Outcome } from "../commands/failures";
import { discordRoles } from "../discord/roles";
import { findSource, type SourceName } from "../store/sources";
import { markRoleBody, unmarkedBy, type Unmarked } from "./policy";
import { latestMark, markHolder } from "./store";

/** The mark a source's next invite carries: a role, and whether the bot just made it (to take back should the invite fail). */
export type MarkChoice = { kind: "marked"; roleId: string; madeNow: boolean; createdByBot: boolean } | { kind: "unmarked"; reason: Unmarked };

/**
 * The mark for `/invite create`: the admin's `role:` (already checked by the
 * grant policy) unless it marks something else; otherwise the source's own mark,
 * made by the bot on first use or again if someone deleted it. Without Manage
 * Roles, or at Discord's role cap, the invite goes unmarked.
 */
export async function markForSource(ctx: CommandContext, name: SourceName, adminRole: string | null): Promise<Outcome<MarkChoice>> {
  if (adminRole !== null) {
    const holder = await markHolder(ctx.db, ctx.guildId, adminRole);
    if (holder && (holder.sourceId === null || holder.key !== name.key)) return fail({ kind: "mark_taken", roleId: adminRole, holder: holder.name });
    return ok({ kind: "marked", roleId: adminRole, madeNow: false, createdByBot: holder?.createdByBot ?? false });
  }
  const source = await findSource(ctx.db, ctx.guildId, name.key);
  const existing = source ? await latestMark(ctx.db, source.id) : null;
  if (existing) {
    const roles = await discordRoles.list(ctx.rest, ctx.guildId);
    if (!roles.ok) return fail({ kind: "discord", failure: roles.error, action: { key: "action.read_roles" } });
    if (roles.value.some((r) => r.id === existing.roleId)) return ok({ kind: "marked", ...existing, madeNow: false });
  }
  const made = await discordRoles.create(ctx.rest, ctx.guildId, markRoleBody(name.name), `Marks joins through invite source "${name.name}"`);
  if (made.ok) return ok({ kind: "marked", roleId: made.value.id, madeNow: true, createdByBot: true });
  const reason = unmarkedBy(made.error);
  return reason ? ok({ kind: "unmarked", reason }) : fail({ kind: "discord", failure: made.error, action: { key: "action.make_mark_role" } });
}
