/**
 * Marks, pure: how the bot makes a source's mark, why an invite could not be
 * marked, and what the admin is told. A mark is a role an invite grants on
 * accept (`role_ids`): members who have it when they join came through it.
 */
import type { DiscordFailure } from "../discord/rest";
import { escapeMarkdown } from "../format/text";
import type { Messages } from "../i18n/messages";
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

/** What an unmarked invite costs, and how to get marked ones. */
export function unmarkedNote(reason: Unmarked, m: Messages): string {
  switch (reason) {
    case "missing_manage_roles":
      return ` ${m.t("marks.unmarked.missing_manage_roles")}`;
    case "role_cap":
      return ` ${m.t("marks.unmarked.role_cap")}`;
  }
}

/** Said when an invite carries its source's mark. */
export function markNote(roleId: string, madeNow: boolean, m: Messages): string {
  return ` ${m.t("marks.marked", { roleId })}${madeNow ? ` ${m.t("marks.made", { roleId })}` : ""}`;
}

/** `/invite assign`: an invite that exists cannot be given a mark. */
export const assignNote = (sourceName: string, m: Messages) => ` ${m.t("marks.assign", { source: escapeMarkdown(sourceName) })}`;

/** `/invite retire`: the mark stays unless deleted; the admin's own role is never deleted. */
export function retireMarkNote(marks: { kept: string[]; deleted: string[]; adminKept: string[] }, askedToDelete: boolean, m: Messages): string {
  const mentions = (ids: string[]) => ids.map((id) => `<@&${id}>`).join(", ");
  const parts: string[] = [];
  if (marks.deleted.length > 0) parts.push(` ${m.t("marks.retire.deleted", { roles: mentions(marks.deleted) })}`);
  if (marks.kept.length > 0) parts.push(` ${m.t(askedToDelete ? "marks.retire.not_deleted" : "marks.retire.kept", { roles: mentions(marks.kept) })}`);
  if (marks.adminKept.length > 0) parts.push(` ${m.t("marks.retire.admin_kept", { roles: mentions(marks.adminKept) })}`);
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
export function markHealthLines(f: MarkFigures, m: Messages): HealthLine[] {
  const figures = { invites: f.markedInvites, joins: f.markedJoins };
  const topic = m.t("marks.health.topic");
  if (f.manageRoles === false) return [{ level: "warn", topic, text: m.t("marks.health.no_manage_roles", figures), action: m.t("marks.health.fix") }];
  if (f.manageRoles === null) return [{ level: "warn", topic, text: m.t("marks.health.unknown", figures), action: m.t("marks.health.retry") }];
  return [{ level: "ok", topic, text: m.t("marks.health.ok", figures) }];
}
