import type { CommandContext } from "../commands/context";
import { DiscordErrorCode } from "../discord/invites";
import { discordRoles } from "../discord/roles";
import { marksOfSource } from "./store";

/**
 * A retired source's marks: kept unless the admin asks to delete them, and then
 * only the roles the bot made (an admin's own role is always kept). The rows stay:
 * past joins refer to them, and a deleted role's id is never given again.
 */
export async function retireMarks(ctx: CommandContext, sourceId: number, deleteMark: boolean) {
  const marks = await marksOfSource(ctx.db, sourceId);
  const adminKept = marks.filter((m) => !m.createdByBot).map((m) => m.roleId);
  const kept: string[] = [];
  const deleted: string[] = [];
  for (const { roleId } of marks.filter((m) => m.createdByBot)) {
    if (!deleteMark) {
      kept.push(roleId);
      continue;
    }
    const gone = await discordRoles.delete(ctx.rest, ctx.guildId, roleId, `Invite source retired by ${ctx.userId}`);
    // Deleted by hand earlier: nothing left to delete, nor to mention.
    if (!gone.ok && gone.error.kind === "discord" && gone.error.code === DiscordErrorCode.UnknownRole) continue;
    (gone.ok ? deleted : kept).push(roleId);
  }
  return { kept, deleted, adminKept };
}
