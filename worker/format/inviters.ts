import type { APIEmbed } from "discord-api-types/payloads/v10";
import { totalInvites, type FakeReason, type InviteCounts } from "../inviters/counts";
import type { Invitee, LeaderboardPage } from "../inviters/store";
import { fitLines, relativeTime } from "./text";
import type { MessageKey, Messages } from "../i18n/messages";


const FAKE_REASONS: Record<FakeReason, MessageKey> = {
  self_invite: "inviter.fake.self_invite",
  rejoin: "inviter.fake.rejoin",
  young_account: "inviter.fake.young_account",
};

/** "12 invites (15 regular, 2 left, 1 fake, +0 bonus)", and ", 3 pending" while some are within the stay period. */
export function countsLine(c: InviteCounts, m: Messages): string {
  const bonus = c.bonus >= 0 ? `+${m.number(c.bonus)}` : m.number(c.bonus);
  return m.t("inviter.counts", { total: totalInvites(c), regular: c.regular, left: c.left, fake: c.fake, bonus, pending: c.pending });
}

function inviteeLine(i: Invitee, m: Messages): string {
  const status =
    i.fakeReason !== null
      ? m.t("inviter.status.fake", { reason: m.t(FAKE_REASONS[i.fakeReason]) })
      : i.leftAt !== null
        ? m.t("inviter.status.left", { when: relativeTime(i.leftAt) })
        : i.pending
          ? m.t("inviter.status.pending")
          : m.t("inviter.status.stayed");
  return m.t("inviter.invitee", { userId: i.userId, when: relativeTime(i.joinedAt), status });
}

/**
 * `/invites show`: a member's counts (named joins only) and who they brought in
 * lately, with the uses counted on their own invites beside: every join through
 * them, named or not.
 */
export function formatInviter(userId: string, counts: InviteCounts, invitees: Invitee[], countedUses: number, m: Messages): APIEmbed {
  const latest = invitees.length === 0 ? m.t("inviter.no_invitees") : fitLines(invitees.map((i) => inviteeLine(i, m)), 3_500, m);
  return {
    title: m.t("inviter.title"),
    description: m.t("inviter.description", { userId, counts: countsLine(counts, m), uses: countedUses, latest }),
    footer: { text: m.t("inviter.footer") },
  };
}

export const LEADERBOARD_PAGE_SIZE = 10;

/** `window` names what is counted: "all time", "last 7 days", "season 2 “Spring”"… */
export function formatLeaderboard(page: LeaderboardPage & { computedAt: Date }, pageIndex: number, window: string, m: Messages): APIEmbed {
  const pages = Math.max(1, Math.ceil(page.inviters / LEADERBOARD_PAGE_SIZE));
  const lines = page.rows.map((r, i) => `${pageIndex * LEADERBOARD_PAGE_SIZE + i + 1}. <@${r.userId}>: ${countsLine(r, m)}`);
  const pageLine = m.t("leaderboard.page", { page: Math.min(pageIndex + 1, pages), pages, inviters: page.inviters, when: relativeTime(page.computedAt) });
  return {
    title: m.t("leaderboard.title", { window }),
    description: `${lines.length === 0 ? m.t("leaderboard.empty") : fitLines(lines, 3_900, m)}\n\n${pageLine}`,
  };
}
