import { formatRecent } from "../../format/recent";
import { recentJoins } from "../../store/joins";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { ok, type Outcome } from "../failures";
import { integerOption } from "../options";

/** /invite recent [limit]: the latest joins, newest first. */
export async function recentJoinsCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const limit = integerOption(ctx.call, "limit", LIMITS.recentLimit);
  if (!limit.ok) return limit;
  return ok({ embeds: [formatRecent(await recentJoins(ctx.db, ctx.guildId, ctx.env.DISCORD_APPLICATION_ID, limit.value), ctx.m)] });
}
