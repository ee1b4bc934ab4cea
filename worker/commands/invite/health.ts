import { formatHealth } from "../../format/health";
import { healthLines, overall } from "../../health/report";
import type { Reply } from "../../interactions/reply";
import { loadSettings } from "../../store/guild-settings";
import { postgresHealthFigures } from "../../store/health-figures";
import { unattributedBreakdown } from "../../store/join-breakdown";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

/** /invite health: the guild's attribution pipeline and cron jobs, judged, in one embed. */
export async function inviteHealth(ctx: CommandContext): Promise<Outcome<Reply>> {
  const object = ctx.env.GUILD_INVITES.get(ctx.env.GUILD_INVITES.idFromName(ctx.guildId));
  const [status, figures, settings] = await Promise.all([
    object.status(),
    postgresHealthFigures(ctx.db, ctx.guildId, ctx.now),
    loadSettings(ctx.db, ctx.guildId),
  ]);
  const unattributed = await unattributedBreakdown(ctx.db, ctx.guildId, figures.weekStart);
  const lines = healthLines({
    now: ctx.now.getTime(),
    lastEventAt: status.lastEventAt,
    cachedAt: status.cachedAt,
    fetchFailures: status.failures,
    retryAt: status.retryAt,
    pendingJoins: status.pendingJoins,
    outboxDepth: status.outboxDepth,
    deadLetters: status.deadLetters,
    rateLimitHits: figures.rateLimitHits,
    driftRepaired: figures.driftRepaired,
    joins: figures.joins,
    unattributed,
    memberSearch: { enabled: settings.memberSearch, lastAnswer: figures.lastSearchAnswer, agreed: figures.agreed, disagreed: figures.disagreed },
  });
  return ok({ embeds: [formatHealth(lines, overall(lines))] });
}
