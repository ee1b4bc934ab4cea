import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import type { Outcome } from "../failures";
import { assignInvite } from "./assign";
import { attributeJoin } from "./attribute";
import { bonusCommand } from "./bonus";
import { inviteBriefing } from "./briefing";
import { createInvite } from "./create";
import { dashboardCommand } from "./dashboard";
import { exportCommand } from "./export";
import { excludeCommand, includeCommand } from "./exclusions";
import { forgetCommand } from "./forget";
import { inviteHealth } from "./health";
import { listInvites } from "./list";
import { mintCommand } from "./mint";
import { recentJoinsCommand } from "./recent";
import { retireSource } from "./retire";
import { seasonListCommand, seasonStartCommand } from "./season";
import { revokeCommand } from "./revoke";
import { rewardsRetired } from "./rewards-retired";
import { inviteSettings } from "./settings";
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
  ["bonus", bonusCommand],
  // Removed commands a stale registration may still offer: they answer why.
  ["rewards add", rewardsRetired],
  ["rewards remove", rewardsRetired],
  ["rewards list", rewardsRetired],
  ["export", exportCommand],
  ["dashboard", dashboardCommand],
  ["forget", forgetCommand],
  ["season start", seasonStartCommand],
  ["season list", seasonListCommand],
  ["exclude", excludeCommand],
  ["include", includeCommand],
]);
