import type { Erased } from "../privacy/user-data";
import type { MessageKey, Messages } from "../i18n/messages";

/** What each count of an erase means to the admin, in the order the reply lists them (each message has a `count` plural). */
const REMOVED: ReadonlyArray<[column: string, message: MessageKey]> = [
  ["invite_joins.user_id", "forget.removed.joins"],
  ["exact_checks.user_id", "forget.removed.exact_checks"],
  ["invitations.inviter_id", "forget.removed.invitations_given"],
  ["invitations.invited_id", "forget.removed.invitations_used"],
  ["invites.inviter_id", "forget.removed.invites"],
  ["invitation_claims.user_id", "forget.removed.claims"],
  ["inviter_bonuses.user_id", "forget.removed.bonuses"],
  ["inviter_bonuses.created_by", "forget.removed.bonuses_given"],
  ["leaderboard_ranks.user_id", "forget.removed.ranks"],
  ["waves.created_by", "forget.removed.waves"],
  ["guild_settings.updated_by", "forget.removed.settings"],
];

/**
 * `/invite forget`'s reply, pure: exactly what was removed, and what stays and why.
 * Mentions render as names for the admin and ping nobody (replies allow no mentions).
 */
export function forgetReport(userId: string, erased: Erased, m: Messages): string {
  const removed = REMOVED.filter(([column]) => (erased[column] ?? 0) > 0).map(([column, message]) => m.t(message, { count: erased[column] ?? 0 }));
  return [
    m.t("forget.done", { userId }),
    removed.length > 0 ? m.t("forget.removed", { removed: removed.join("; ") }) : m.t("forget.removed_nothing"),
    m.t("forget.kept"),
    m.t("forget.later"),
  ].join("\n");
}
