/**
 * The invitation DM, without I/O: its text, and what a failed send means for
 * the invitation and for the rest of the run.
 */
import type { DiscordFailure } from "../discord/rest";
import { escapeMarkdown } from "../format/text";
import { CANNOT_MESSAGE_USER } from "../discord/messages";

/** Sends Discord refused (other than closed DMs) before an invitation's DM is given up on. */
export const DM_ATTEMPTS = 3;

/** The DM with the link; the server's name is outside text and cannot shape the Markdown around it. */
export function invitationDm(serverName: string | null, link: string, expiresAt: Date | null): string {
  const server = serverName === null ? "the server" : escapeMarkdown(serverName);
  const expiry = expiresAt ? ` It expires <t:${Math.floor(expiresAt.getTime() / 1000)}:R>.` : "";
  return (
    `🎟️ **You have an invitation to ${server}!**\n` +
    // Discord allows no unsolicited DMs: this one says why it came.
    `The admins of ${server} are handing out invitations, and you were drawn among its members; nothing is expected of you.\n` +
    `Give this link to one friend you would like to see there: ${link}\n` +
    `It works once: your friend opens it, presses Accept and joins, and I'll tell you.${expiry} ` +
    "See your invitations any time with `/invitations mine`."
  );
}

/**
 * What a DM Discord did not take means:
 * - `closed`: the member's DMs are closed; recorded, never tried again;
 * - `failed`: this one was refused (an unknown user, a refusal); counted on the invitation, the run goes on;
 * - `failed_and_stop`: Discord kept failing; counted too (so one invitation cannot block the others for ever), and the run stops;
 * - `stop`: rate-limited, or Discord's edge refuses the bot: nothing is wrong with the invitation, the rest waits for the next run.
 */
export type DmFailureHandling = "closed" | "failed" | "failed_and_stop" | "stop";

export function handleDmFailure(error: DiscordFailure): DmFailureHandling {
  switch (error.kind) {
    case "discord":
      return error.code === CANNOT_MESSAGE_USER ? "closed" : "failed";
    case "discord_unavailable":
      return error.reason === "rate_limited" || error.reason === "edge_blocked" ? "stop" : "failed_and_stop";
  }
}
