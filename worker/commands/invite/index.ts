import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import type { Outcome } from "../failures";
import { assignInvite } from "./assign";
import { attributeJoin } from "./attribute";
import { inviteBriefing } from "./briefing";
import { createInvite } from "./create";
import { inviteHealth } from "./health";
import { listInvites } from "./list";
import { mintCommand } from "./mint";
import { recentJoinsCommand } from "./recent";
import { retireSource } from "./retire";
import { inviteSettings } from "./settings";
import { revokeCommand } from "./revoke";
import { inviteStats } from "./stats";
import { wavesCommand } from "./waves";

export type SubcommandHandler = (ctx: CommandContext) => Promise<Outcome<Reply>>;

/** A Map: a subcommand named "constructor" or "__proto__" finds nothing, not Object.prototype. */
export const inviteSubcommands = new Map<string, SubcommandHandler>([
  ["create", createInvite],
  ["assign", assignInvite],
  ["list", listInvites],
  ["stats", inviteStats],
  ["recent", recentJoinsCommand],
  ["retire", retireSource],
  ["attribute", attributeJoin],
  ["health", inviteHealth],
  ["briefing", inviteBriefing],
  ["mint", mintCommand],
  ["revoke", revokeCommand],
  ["waves", wavesCommand],
  ["settings", inviteSettings],
]);
