import type { SubcommandHandler } from "../invite";
import { leaderboardCommand } from "./leaderboard";
import { showInvites } from "./show";

/** `/invites`: for every member. */
export const invitesSubcommands = new Map<string, SubcommandHandler>([
  ["show", showInvites],
  ["leaderboard", leaderboardCommand],
]);
