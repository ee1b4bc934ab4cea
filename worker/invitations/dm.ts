/**
 * The invitation DM, without I/O: its text, and what a failed send means for
 * the invitation and for the rest of the run.
 */
import type { DiscordFailure } from "../discord/rest";
import { escapeMarkdown } from "../format/text";
import { CANNOT_MESSAGE_USER } from "../discord/messages";
import type { Messages } from "../i18n/messages";

/** Sends Discord refused (other than closed DMs) before an invitation's DM is given up on. */
export const DM_ATTEMPTS = 3;

/** The DM with the link; the server's name is outside text and cannot shape the Markdown around it. */
export function invitationDm(serverName: string | null, link: string, expiresAt: Date | null, m: Messages): string {
  const server = serverName === null ? m.t("dm.the_server") : escapeMarkdown(serverName);
  const expiry = expiresAt ? ` ${m.t("dm.expires", { at: Math.floor(expiresAt.getTime() / 1000) })}` : "";
  // Discord allows no unsolicited DMs: this one says why it came.
  return m.t("dm.invitation", { server, link, expiry });
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
