/**
 * `/invite health` as a pure judgement: the figures of one guild in, one line per
 * concern out, each with a level and, when it is not fine, what the admin should do.
 */
import type { MessageKey, Messages } from "../i18n/messages";
import type { Disagreement } from "../counted-uses";
import { UNATTRIBUTED_KINDS, unattributedTotal, type Unattributed } from "../format/unattributed";

export type Level = "ok" | "warn" | "bad";

export interface HealthFigures {
  now: number;
  /** From the guild's Durable Object. */
  lastEventAt: number | null;
  cachedAt: number | null;
  fetchFailures: number;
  retryAt: number | null;
  pendingJoins: number;
  outboxDepth: number;
  deadLetters: number;
  /** From Postgres, over the last day. */
  rateLimitHits: number;
  /** Discord's edge refusing the bot (Cloudflare error 1015) in the last day, and until when the object's calls wait. */
  edge: { refusals: number; blockedUntil: number | null };
  driftRepaired: number;
  /** The last reconcile that found the invites table equal to (or repaired to) Discord's list. */
  reconciledAt: number | null;
  /** Cron runs for this guild that failed (Discord refused or failed), and those dead-lettered after their retries. */
  cronRuns: { failed: number; deadLettered: number; jobs: string[] };
  /** Over the last 7 days. */
  joins: number;
  unattributed: Unattributed;
  memberSearch: {
    enabled: boolean;
    /** The latest answer, whoever asked: the hourly confirmation or the object's own lookups (see `latestSearch`). */
    lastAnswer: SearchAnswer | null;
    /** Joins of the last 7 days whose invite member search named (`method = exact`). */
    exact: number;
    agreed: number;
    disagreed: number;
  };
  /** Days of the last week whose joins and counted uses disagree beyond what uncounted uses explain. */
  disagreements: Disagreement[];
}

export type SearchAnswer = "answered" | "refused" | "unavailable";
export interface SearchTry {
  answer: SearchAnswer;
  at: number;
}

/** The later of two askers' last member searches (either may never have asked). */
export function latestSearch(a: SearchTry | null, b: SearchTry | null): SearchTry | null {
  if (a === null || b === null) return a ?? b;
  return b.at > a.at ? b : a;
}

export interface HealthLine {
  level: Level;
  topic: string;
  text: string;
  /** What to do, for lines that are not ok. */
  action?: string;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Cron reconciles every 5 minutes: a cache older than three rounds means refetches are not landing. */
const STALE_CACHE_MS = 15 * MINUTE;
const QUIET_RELAY_MS = 24 * HOUR;
const OUTBOX_BEHIND = 100;
const RATE_LIMIT_HITS_WARN = 10;
const UNRESOLVED_SHARE_WARN = 0.2;

export function ago(ms: number, m: Messages): string {
  if (ms < MINUTE) return m.t("ago.seconds", { count: Math.max(0, Math.round(ms / 1000)) });
  if (ms < HOUR) return m.t("ago.minutes", { count: Math.round(ms / MINUTE) });
  if (ms < 48 * HOUR) return m.t("ago.hours", { count: Math.round(ms / HOUR) });
  return m.t("ago.days", { count: Math.round(ms / (24 * HOUR)) });
}

const pct = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);

export function healthLines(f: HealthFigures, m: Messages): HealthLine[] {
  const lines: HealthLine[] = [];
  const line = (level: Level, topic: MessageKey, text: string, action?: string) => lines.push({ level, topic: m.t(topic), text, ...(level === "ok" ? {} : { action }) });
  const since = (ms: number) => ago(ms, m);

  if (f.lastEventAt === null) {
    line("warn", "health.relay", m.t("health.relay.none"), m.t("health.relay.none.action"));
  } else {
    const age = f.now - f.lastEventAt;
    line(age > QUIET_RELAY_MS ? "warn" : "ok", "health.relay", m.t("health.relay.last", { ago: since(age) }), m.t("health.relay.quiet.action"));
  }

  if (f.cachedAt === null) {
    line("bad", "health.cache", m.t("health.cache.never"), m.t("health.cache.never.action"));
  } else if (f.fetchFailures > 0) {
    const retry = f.retryAt === null ? "" : m.t("health.cache.retrying", { seconds: Math.max(0, Math.round((f.retryAt - f.now) / 1000)) });
    line("bad", "health.cache", m.t("health.cache.failed", { ago: since(f.now - f.cachedAt), failures: f.fetchFailures, retry }), m.t("health.cache.failed.action"));
  } else {
    // Reconcile wakes the object only on drift: a match with Discord's list is as fresh as a fetch.
    const checked = Math.max(f.cachedAt, f.reconciledAt ?? 0);
    const text =
      checked === f.cachedAt
        ? m.t("health.cache.fetched", { ago: since(f.now - f.cachedAt) })
        : m.t("health.cache.matched", { ago: since(f.now - checked), fetched: since(f.now - f.cachedAt) });
    line(f.now - checked > STALE_CACHE_MS ? "warn" : "ok", "health.cache", text, m.t("health.cache.stale.action"));
  }

  if (f.deadLetters > 0) {
    line("bad", "health.outbox", m.t("health.outbox.dead", { dead: f.deadLetters, waiting: f.outboxDepth, pending: f.pendingJoins }), m.t("health.outbox.dead.action"));
  } else {
    line(f.outboxDepth > OUTBOX_BEHIND ? "warn" : "ok", "health.outbox", m.t("health.outbox.waiting", { waiting: f.outboxDepth, pending: f.pendingJoins }), m.t("health.outbox.behind.action"));
  }

  line(f.rateLimitHits > RATE_LIMIT_HITS_WARN ? "warn" : "ok", "health.rate_limits", m.t("health.rate_limits.hits", { hits: f.rateLimitHits }), m.t("health.rate_limits.action"));

  const { refusals, blockedUntil } = f.edge;
  const edgeAction = m.t("health.edge.action");
  if (blockedUntil !== null && blockedUntil > f.now) {
    line("bad", "health.edge", m.t("health.edge.blocked", { refusals, seconds: Math.ceil((blockedUntil - f.now) / 1000) }), edgeAction);
  } else {
    line(refusals > 0 ? "warn" : "ok", "health.edge", refusals > 0 ? m.t("health.edge.refused", { refusals }) : m.t("health.edge.none"), edgeAction);
  }

  const unattributed = unattributedTotal(f.unattributed);
  const causes = UNATTRIBUTED_KINDS.filter((k) => f.unattributed.counts[k] > 0).map((k) => `${m.t(CAUSE_WORDS[k])} ${m.number(f.unattributed.counts[k])}`);
  const unresolvedShare = f.joins === 0 ? 0 : (f.unattributed.counts.ambiguous + f.unattributed.counts.gap) / f.joins;
  line(
    unresolvedShare > UNRESOLVED_SHARE_WARN ? "warn" : "ok",
    "health.unattributed",
    m.t("health.unattributed.text", { unattributed, joins: f.joins, share: pct(unattributed, f.joins), causes: causes.length ? `: ${causes.join(", ")}` : "" }),
    f.memberSearch.enabled ? m.t("health.unattributed.action") : m.t("health.unattributed.action_search"),
  );

  const { enabled, lastAnswer, exact, agreed, disagreed } = f.memberSearch;
  const checked = agreed + disagreed;
  const resolved = exact > 0 ? m.t("health.search.resolved", { exact }) : "";
  const agreement = `${resolved}${checked === 0 ? m.t("health.search.none_checked") : m.t("health.search.agreed", { agreed, checked, share: pct(agreed, checked) })}`;
  if (!enabled) line("ok", "health.search", m.t("health.search.off"));
  else if (disagreed > 0) line("bad", "health.search", m.t("health.search.answers", { agreement }), m.t("health.search.disagreed.action"));
  else if (lastAnswer === "refused") line("warn", "health.search", m.t("health.search.refused"), m.t("health.search.refused.action"));
  else if (lastAnswer === "unavailable") line("warn", "health.search", m.t("health.search.unavailable", { agreement }), m.t("health.search.unavailable.action"));
  else line("ok", "health.search", lastAnswer === null && exact === 0 ? m.t("health.search.not_tried") : m.t("health.search.answers", { agreement }));

  const { failed, deadLettered, jobs } = f.cronRuns;
  if (deadLettered > 0) {
    line("bad", "health.cron", m.t("health.cron.dead", { dead: deadLettered, failed, jobs: jobs.join(", ") }), m.t("health.cron.dead.action"));
  } else {
    line(failed > 0 ? "warn" : "ok", "health.cron", failed > 0 ? m.t("health.cron.failed", { failed, jobs: jobs.join(", ") }) : m.t("health.cron.none"), m.t("health.cron.action"));
  }

  const worst = f.disagreements.map((d) =>
    d.unexplained > 0 ? m.t("health.counts.joins_unowned", { day: d.day, count: d.unexplained }) : m.t("health.counts.uses_unowned", { day: d.day, count: -d.unexplained }),
  );
  line(worst.length > 0 ? "warn" : "ok", "health.counts", worst.length > 0 ? worst.join("; ") : m.t("health.counts.match"), m.t("health.counts.action"));

  line(f.driftRepaired > 0 ? "warn" : "ok", "health.drift", m.t("health.drift.text", { count: f.driftRepaired }), m.t("health.drift.action"));
  return lines;
}

const CAUSE_WORDS: Record<(typeof UNATTRIBUTED_KINDS)[number], MessageKey> = {
  vanity: "health.cause.vanity",
  unlabelled: "health.cause.unlabelled",
  no_invite: "health.cause.no_invite",
  ambiguous: "health.cause.ambiguous",
  uncounted: "health.cause.uncounted",
  gap: "health.cause.gap",
};

export function overall(lines: HealthLine[]): Level {
  return lines.some((l) => l.level === "bad") ? "bad" : lines.some((l) => l.level === "warn") ? "warn" : "ok";
}
