import { formatStats } from "../../format/stats";
import { joinsBySource } from "../../store/joins";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { ok, type Outcome } from "../failures";
import { integerOption } from "../options";

const DAY_MS = 86_400_000;

/** /invite stats [days]: joins per source over the window, with shares. */
export async function inviteStats(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = integerOption(ctx.call, "days", LIMITS.statsDays);
  if (!days.ok) return days;
  const rows = await joinsBySource(ctx.db, ctx.guildId, new Date(ctx.now.getTime() - days.value * DAY_MS));
  return ok({ embeds: [formatStats(rows, days.value)] });
}
