import type { Reply } from "../interactions/reply";
import type { InteractionContext } from "./context";
import type { Outcome } from "./failures";
import { isLeaderboardButton, leaderboardButton } from "./invites/leaderboard";

export type ComponentHandler = (ctx: InteractionContext) => Promise<Outcome<Reply>>;

/** The handler for a button's custom_id, or null for an id the bot never makes. */
export function componentHandler(customId: string): ComponentHandler | null {
  if (isLeaderboardButton(customId)) return (ctx) => leaderboardButton(ctx, customId);
  return null;
}
