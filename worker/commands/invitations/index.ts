import type { SubcommandHandler } from "../invite";
import { mineCommand } from "./mine";
import { treeCommand } from "./tree";

/** /invitations: every member's view of invitations. */
export const invitationsSubcommands = new Map<string, SubcommandHandler>([
  ["mine", mineCommand],
  ["tree", treeCommand],
]);
