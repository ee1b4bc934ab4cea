import type { APIEmbed } from "discord-api-types/payloads/v10";
import { totalInvites, type FakeReason, type InviteCounts } from "../inviters/counts";
import type { Invitee, LeaderboardPage } from "../inviters/store";
import { fitLines, relativeTime } from "./text";

const FAKE_REASONS: Record<FakeReason, string> = {
  self_invite: "self-invite",
  rejoin: "rejoin",
  young_account: "new account",
};

/** "12 invites (15 regular, 2 left, 1 fake, +0 bonus)", and ", 3 pending" while some are within the stay period. */
export function countsLine(c: InviteCounts): string {
  const bonus = c.bonus >= 0 ? `+${c.bonus}` : String(c.bonus);
  const pending = c.pending > 0 ? `, ${c.pending} pending` : "";
  return `**${totalInvites(c)}** invites (${c.regular} regular, ${c.left} left, ${c.fake} fake, ${bonus} bonus${pending})`;
}

function inviteeLine(i: Invitee): string {
  const status =
    i.fakeReason !== null ? `fake: ${FAKE_REASONS[i.fakeReason]}` : i.leftAt !== null ? `left ${relativeTime(i.leftAt)}` : i.pending ? "pending (stay period)" : "stayed";
  return `<@${i.userId}> joined ${relativeTime(i.joinedAt)} · ${status}`;
}

/**
 * `/invites show`: a member's counts (named joins only) and who they brought in
 * lately, with the uses counted on their own invites beside: every join through
 * them, named or not.
 */
export function formatInviter(userId: string, counts: InviteCounts, invitees: Invitee[], countedUses: number): APIEmbed {
  const latest = invitees.length === 0 ? "No invitees yet." : fitLines(invitees.map(inviteeLine), 3_500);
  const uses = `Uses counted on their own invites: **${countedUses}** (every join through them, named or not).`;
  return {
    title: "Invites",
    description: `<@${userId}> has ${countsLine(counts)}.\n${uses}\n\n**Latest invitees**\n${latest}`,
    footer: { text: "Only joins whose invite is known count: unresolved joins count for nobody." },
  };
}

export const LEADERBOARD_PAGE_SIZE = 10;

/** `window` names what is counted: "all time", "last 7 days", "season 2 “Spring”"… */
export function formatLeaderboard(page: LeaderboardPage & { computedAt: Date }, pageIndex: number, window: string): APIEmbed {
  const pages = Math.max(1, Math.ceil(page.inviters / LEADERBOARD_PAGE_SIZE));
  const lines = page.rows.map((r, i) => `${pageIndex * LEADERBOARD_PAGE_SIZE + i + 1}. <@${r.userId}>: ${countsLine(r)}`);
  return {
    title: `Top inviters (${window})`,
    description: `${lines.length === 0 ? "No invites counted yet." : fitLines(lines, 3_900)}\n\nPage ${Math.min(pageIndex + 1, pages)} of ${pages} · ${page.inviters} inviter${page.inviters === 1 ? "" : "s"} · as of ${relativeTime(page.computedAt)}`,
  };
}
