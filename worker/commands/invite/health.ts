import { formatHealth } from "../../format/health";
import { gatherHealth } from "../../health/gather";
import { overall } from "../../health/report";
import { markHealth } from "../../marks/health";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

/** /invite health: the guild's attribution pipeline and cron jobs, judged, in one embed. */
export async function inviteHealth(ctx: CommandContext): Promise<Outcome<Reply>> {
  const lines = [...(await gatherHealth(ctx.env, ctx.db, ctx.guildId, ctx.now, ctx.m)), ...(await markHealth(ctx))];
  return ok({ embeds: [formatHealth(lines, overall(lines), ctx.m)] });
}
