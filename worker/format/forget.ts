import type { Erased } from "../privacy/user-data";

/** What each count of an erase means to the admin, in the order the reply lists them. */
const REMOVED: ReadonlyArray<[key: string, one: string, many: string]> = [
  ["invite_joins.user_id", "1 join row (where they came from)", "{n} join rows (where they came from)"],
  ["exact_checks.user_id", "1 check of their join against Discord's member search", "{n} checks of their joins against Discord's member search"],
  ["invitations.inviter_id", "them from 1 invitation they were given to hand out", "them from {n} invitations they were given to hand out"],
  ["invitations.invited_id", "them from 1 invitation they joined with", "them from {n} invitations they joined with"],
  ["invites.inviter_id", "them as the creator of 1 invite", "them as the creator of {n} invites"],
  ["invitation_claims.user_id", "1 hold they had on an invitation (Join with Discord)", "{n} holds they had on invitations (Join with Discord)"],
  ["inviter_bonuses.user_id", "1 invite-count bonus given to them", "{n} invite-count bonuses given to them"],
  ["inviter_bonuses.created_by", "them as the giver of 1 bonus", "them as the giver of {n} bonuses"],
  ["leaderboard_ranks.user_id", "their place on the leaderboard (it is recomputed without them)", "their places on the leaderboards (they are recomputed without them)"],
  ["waves.created_by", "them as the admin of 1 invitation wave", "them as the admin of {n} invitation waves"],
  ["guild_settings.updated_by", "them as the last editor of the settings", "them as the last editor of the settings"],
];

/**
 * `/invite forget`'s reply, pure: exactly what was removed, and what stays and why.
 * Mentions render as names for the admin and ping nobody (replies allow no mentions).
 */
export function forgetReport(userId: string, erased: Erased): string {
  const removed = REMOVED.filter(([key]) => (erased[key] ?? 0) > 0).map(([key, one, many]) => (erased[key] === 1 ? one : many.replace("{n}", String(erased[key]))));
  return [
    `Forgot <@${userId}> in this server.`,
    `**Removed:** ${removed.length > 0 ? removed.join("; ") : "nothing else: I kept no joins, invitations or bonuses of theirs"}. Their name is not kept anywhere.`,
    "**Kept:** the join counts in `/invite stats`, as anonymous numbers (totals do not change); the invitations' status, without them; " +
      "and that they are a member and since when (ids and times, no name), so the daily member sync does not record their join again.",
    "A join after today is recorded like anyone's.",
  ].join("\n");
}
