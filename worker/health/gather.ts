import { disagreements } from "../counted-uses";
import type { Db } from "../db";
import { dailyConsistency } from "../store/daily-consistency";
import { loadSettings } from "../store/guild-settings";
import { postgresHealthFigures } from "../store/health-figures";
import { unattributedBreakdown } from "../store/join-breakdown";
import { joinFlowHealthLines } from "../join-flow/health";
import { healthLines, latestSearch, type HealthLine } from "./report";
import type { Messages } from "../i18n/messages";

/** One guild's health lines, in `m`'s language: its Durable Object's pipeline and what Postgres holds about its jobs and joins. */
export async function gatherHealth(env: Env, db: Db, guildId: string, now: Date, m: Messages): Promise<HealthLine[]> {
  const object = env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId));
  const [status, figures, settings] = await Promise.all([object.status(), postgresHealthFigures(db, guildId, now), loadSettings(db, guildId)]);
  const unattributed = await unattributedBreakdown(db, guildId, figures.weekStart);
  const days = await dailyConsistency(db, guildId, figures.weekStart.toISOString().slice(0, 10), now.toISOString().slice(0, 10));
  const lines = healthLines({
    now: now.getTime(),
    lastEventAt: status.lastEventAt,
    cachedAt: status.cachedAt,
    fetchFailures: status.failures,
    retryAt: status.retryAt,
    pendingJoins: status.pendingJoins,
    outboxDepth: status.outboxDepth,
    deadLetters: status.deadLetters,
    // The cron jobs' 429s (recorded per run) and the object's own.
    rateLimitHits: figures.rateLimitHits + status.rateLimitHits,
    // Met by the cron's isolates and by the object's: each backs off on its own (worker/discord/edge.ts).
    edge: { refusals: figures.edgeRefusals + status.edge.refusals, blockedUntil: status.edge.blockedUntil },
    driftRepaired: figures.driftRepaired,
    reconciledAt: figures.reconciledAt,
    cronRuns: figures.cronRuns,
    joins: figures.joins,
    unattributed,
    disagreements: disagreements(days),
    memberSearch: {
      enabled: settings.memberSearch,
      // The object looks up its unresolved joins at once; the hourly job only what is left.
      lastAnswer: latestSearch(figures.lastSearch, status.lastSearch)?.answer ?? null,
      exact: figures.exact,
      agreed: figures.agreed,
      disagreed: figures.disagreed,
    },
  }, m);
  return [...lines, ...joinFlowHealthLines(status.joinFlowMissingPermissionAt, now.getTime(), m)];
}
