/**
 * Marks, pure: how the bot makes a source's mark, why an invite could not be
 * marked, and what the admin is told. A mark is a role an invite grants on
 * accept (`role_ids`): members who have it when they join came through it.
 */
import type { DiscordFailure } from "../discord/rest";
import { counted, escapeMarkdown } from "../format/text";
import type { HealthLine } from "../health/report";

/** Why an invite was made without a mark. */
export type Unmarked = "missing_manage_roles" | "role_cap";

/** Discord's codes for a role the bot may not make or give. */
const MISSING_PERMISSIONS = 50013;
const MAX_ROLES = 30005;

/**
 * The role the bot makes to mark a source (or invitations): named after it, no
 * permissions, not hoisted, not mentionable, no colour. Discord puts a new role at
 * position 1, below the bot's own. `permissions` is an integer, as the OpenAPI spec has it.
 */
export const markRoleBody = (name: string) => ({ name, permissions: 0, hoist: false, mentionable: false });

/** The one role invitations' invites grant: "came through an invitation", not which one. */
export const INVITED_MARK_NAME = "Invited";

/** A refusal that leaves the invite unmarked (rather than failing the command), or null. */
export function unmarkedBy(error: DiscordFailure): Unmarked | null {
  if (error.kind !== "discord") return null;
  if (error.code === MISSING_PERMISSIONS) return "missing_manage_roles";
  if (error.code === MAX_ROLES) return "role_cap";
  return null;
}

const COST =
  "Joins through it are named only by counting uses, which cannot tell who used which invite when several members join at once.";

/** What an unmarked invite costs, and how to get marked ones. */
export function unmarkedNote(reason: Unmarked): string {
  switch (reason) {
    case "missing_manage_roles":
      return ` This invite is **unmarked**: I need the **Manage Roles** permission to make invites that give a role on joining. ${COST} Give my role **Manage Roles**, then run \`/invite create\` again for a marked invite.`;
    case "role_cap":
      return ` This invite is **unmarked**: this server has Discord's maximum of 250 roles, so I couldn't make one to mark this source. ${COST} Delete a role you no longer need, or pick an existing one with \`role:\`, then run \`/invite create\` again.`;
  }
}

/** Said when an invite carries its source's mark. */
export function markNote(roleId: string, madeNow: boolean): string {
  const made = madeNow ? ` I made <@&${roleId}> for it: no permissions, not shown separately, not mentionable.` : "";
  return ` Members who join through it get <@&${roleId}> from Discord, which names this source for each of them, however many join at once.${made}`;
}

/** `/invite assign`: an invite that exists cannot be given a mark. */
export const assignNote = (sourceName: string) =>
  ` Discord can't change an invite once made, so this one carries no mark and its joins are named by counting uses. For a marked replacement, run \`/invite create source:${escapeMarkdown(sourceName)}\` and share that link instead.`;

/** `/invite retire`: the mark stays unless deleted; the admin's own role is never deleted. */
export function retireMarkNote(marks: { kept: string[]; deleted: string[]; adminKept: string[] }, askedToDelete: boolean): string {
  const mentions = (ids: string[]) => ids.map((id) => `<@&${id}>`).join(", ");
  const parts: string[] = [];
  if (marks.deleted.length > 0) parts.push(` Deleted its mark ${mentions(marks.deleted)}.`);
  if (marks.kept.length > 0)
    parts.push(
      askedToDelete
        ? ` Couldn't delete its mark ${mentions(marks.kept)}: my role needs **Manage Roles** and must sit above it.`
        : ` Its mark ${mentions(marks.kept)} stays (members keep it, and past joins refer to it); add \`delete_mark:True\` to delete it.`,
    );
  if (marks.adminKept.length > 0) parts.push(` ${mentions(marks.adminKept)} is your own role: I keep it.`);
  return parts.join("");
}

export interface MarkFigures {
  /** Live invites that carry a mark. */
  markedInvites: number;
  /** Joins of the last 7 days named by their mark (`method = role`). */
  markedJoins: number;
  /** Whether the bot has Manage Roles now; null when Discord did not say. */
  manageRoles: boolean | null;
}

/** `/invite health`'s lines about marks. */
export function markHealthLines(f: MarkFigures): HealthLine[] {
  const text = `${counted(f.markedInvites, "marked invite")} live; ${counted(f.markedJoins, "join")} named by mark this week`;
  const fix = "Give my role **Manage Roles** (Server Settings → Roles); new `/invite create` invites will be marked.";
  if (f.manageRoles === false) return [{ level: "warn", topic: "Marks", text: `${text}; I no longer have **Manage Roles**: new invites are unmarked`, action: fix }];
  if (f.manageRoles === null) return [{ level: "warn", topic: "Marks", text: `${text}; Discord didn't say whether I have **Manage Roles**`, action: "Run `/invite health` again in a minute." }];
  return [{ level: "ok", topic: "Marks", text: `${text}; I have **Manage Roles**` }];
}
