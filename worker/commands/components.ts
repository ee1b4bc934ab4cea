import type { Reply } from "../interactions/reply";
import type { InteractionContext } from "./context";
import type { Outcome } from "./failures";
import { leaderboardButton, parseLeaderboardButton } from "./invites/leaderboard";

export type ComponentHandler = (ctx: InteractionContext) => Promise<Outcome<Reply>>;

/** The handler for a button's custom_id, or null for an id the bot never makes. */
export function componentHandler(customId: string): ComponentHandler | null {
  const page = parseLeaderboardButton(customId);
  if (page) return (ctx) => leaderboardButton(ctx, page);
  return null;
}
