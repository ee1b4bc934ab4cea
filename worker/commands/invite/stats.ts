import { formatSourceDetail, formatStats } from "../../format/stats";
import type { Reply } from "../../interactions/reply";
import { unattributedBreakdown } from "../../store/join-breakdown";
import { joinsBySource } from "../../store/joins";
import { sourceDetail } from "../../store/source-detail";
import { findSource } from "../../store/sources";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption } from "../options";
import { sourceNameOption } from "./source-option";

const DAY_MS = 86_400_000;

/**
 * /invite stats [days] [source]: joins per source over the window, with shares and
 * the source-less joins by cause; with `source`, that one source in detail.
 */
export async function inviteStats(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = integerOption(ctx.call, "days", LIMITS.statsDays);
  if (!days.ok) return days;
  if (ctx.call.options.has("source")) {
    const name = sourceNameOption(ctx.call);
    if (!name.ok) return name;
    const source = await findSource(ctx.db, ctx.guildId, name.value.key);
    if (!source) return fail({ kind: "unknown_source", name: name.value.name });
    return ok({ embeds: [formatSourceDetail(await sourceDetail(ctx.db, ctx.guildId, source, ctx.now, days.value), days.value)] });
  }
  const since = new Date(ctx.now.getTime() - days.value * DAY_MS);
  // One after the other: both are quick, and a second connection would cost more than the wait.
  const rows = await joinsBySource(ctx.db, ctx.guildId, since);
  const unattributed = await unattributedBreakdown(ctx.db, ctx.guildId, since);
  const sources = rows.flatMap((r) => (r.name === null ? [] : [{ name: r.name, retired: r.retired, joins: r.joins }]));
  return ok({ embeds: [formatStats(sources, unattributed, days.value)] });
}
