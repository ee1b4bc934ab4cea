import type { Reply } from "../interactions/reply";
import { parseRaidButton } from "../raids/message";
import { raidButton } from "../raids/buttons";
import type { InteractionContext } from "./context";
import type { Outcome } from "./failures";
import { leaderboardButton, parseLeaderboardButton } from "./invites/leaderboard";

export interface ComponentHandler {
  run: (ctx: InteractionContext) => Promise<Outcome<Reply>>;
  /** Manage Server only, checked on the server's side (anyone in the channel can press a button). */
  adminOnly: boolean;
  /** `update` edits the message the button is on; `new` answers with a new (ephemeral) message and leaves it alone. */
  answer: "update" | "new";
}

/** The handler for a button's custom_id, or null for an id the bot never makes. */
export function componentHandler(customId: string): ComponentHandler | null {
  const page = parseLeaderboardButton(customId);
  if (page) return { run: (ctx) => leaderboardButton(ctx, page), adminOnly: false, answer: "update" };
  const raid = parseRaidButton(customId);
  // The alert is public: its buttons answer privately. The list's own Previous/Next edit the list.
  if (raid) return { run: (ctx) => raidButton(ctx, raid), adminOnly: true, answer: raid.kind === "list" && !raid.fromAlert ? "update" : "new" };
  return null;
}
