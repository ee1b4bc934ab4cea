import { formatSourceDetail, formatStats } from "../../format/stats";
import type { Reply } from "../../interactions/reply";
import { totalsUnattributed } from "../../format/unattributed";
import { sourceDetail } from "../../store/source-detail";
import { sourceTotals } from "../../store/source-totals";
import { findSource } from "../../store/sources";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption } from "../options";
import { sourceNameOption } from "./source-option";

const DAY_MS = 86_400_000;

/**
 * /invite stats [days] [source]: joins per source over the window (counted uses,
 * with the named members beside), with shares and the source-less joins by cause;
 * with `source`, that one source in detail.
 */
export async function inviteStats(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = integerOption(ctx.call, "days", LIMITS.statsDays);
  if (!days.ok) return days;
  if (ctx.call.options.has("source")) {
    const name = sourceNameOption(ctx.call);
    if (!name.ok) return name;
    const source = await findSource(ctx.db, ctx.guildId, name.value.key);
    if (!source) return fail({ kind: "unknown_source", name: name.value.name });
    return ok({ embeds: [formatSourceDetail(await sourceDetail(ctx.db, ctx.guildId, source, ctx.now, days.value), days.value, ctx.m)] });
  }
  const since = new Date(ctx.now.getTime() - days.value * DAY_MS);
  const { totals, names, vanityCode } = await sourceTotals(ctx.db, ctx.guildId, since);
  const sources = totals.sources.flatMap((s) => {
    const source = names.get(s.sourceId);
    return source ? [{ ...source, joins: s.joins, named: s.named }] : [];
  });
  return ok({ embeds: [formatStats(sources, totalsUnattributed(totals, vanityCode), days.value, ctx.m)] });
}
