/**
 * `/invite health` as a pure judgement: the figures of one guild in, one line per
 * concern out, each with a level and, when it is not fine, what the admin should do.
 */
import { counted } from "../format/text";
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

export function ago(ms: number): string {
  if (ms < MINUTE) return `${Math.max(0, Math.round(ms / 1000))} s ago`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min ago`;
  if (ms < 48 * HOUR) return `${Math.round(ms / HOUR)} h ago`;
  return `${Math.round(ms / (24 * HOUR))} days ago`;
}

const pct = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);

export function healthLines(f: HealthFigures): HealthLine[] {
  const lines: HealthLine[] = [];
  const line = (level: Level, topic: string, text: string, action?: string) => lines.push({ level, topic, text, ...(level === "ok" ? {} : { action }) });

  if (f.lastEventAt === null) {
    line("warn", "Relay", "no gateway event in the last 7 days", "Check that the relay runs and reaches the Worker (its `/healthz`, then `RELAY_TARGET_URL` and `RELAY_SECRET`).");
  } else {
    const age = f.now - f.lastEventAt;
    line(age > QUIET_RELAY_MS ? "warn" : "ok", "Relay", `last event ${ago(age)}`, "Nothing for a day: check that the relay runs (`/healthz`) and that the bot has the Server Members intent.");
  }

  if (f.cachedAt === null) {
    line("bad", "Invite cache", "never fetched", "Give the bot **Manage Server** (it needs it to read invites); the next cron round fetches them.");
  } else if (f.fetchFailures > 0) {
    const retry = f.retryAt === null ? "" : `, retrying in ${Math.max(0, Math.round((f.retryAt - f.now) / 1000))} s`;
    line("bad", "Invite cache", `${ago(f.now - f.cachedAt)}; the last ${f.fetchFailures === 1 ? "refetch" : counted(f.fetchFailures, "refetch", "refetches")} failed${retry}`, "Check the bot still has **Manage Server**; Discord outages clear by themselves.");
  } else {
    // Reconcile wakes the object only on drift: a match with Discord's list is as fresh as a fetch.
    const checked = Math.max(f.cachedAt, f.reconciledAt ?? 0);
    const text = checked === f.cachedAt ? `fetched ${ago(f.now - f.cachedAt)}, last refetch ok` : `matched Discord's list ${ago(f.now - checked)} (fetched ${ago(f.now - f.cachedAt)})`;
    line(f.now - checked > STALE_CACHE_MS ? "warn" : "ok", "Invite cache", text, "The cron trigger may not be running: check `crons` in wrangler.toml, the guild jobs queue and the Worker's logs.");
  }

  if (f.deadLetters > 0) {
    line("bad", "Outbox", `${counted(f.deadLetters, "row")} Postgres refused for good; ${f.outboxDepth} waiting, ${counted(f.pendingJoins, "join")} pending`, "Look for `outbox item dead-lettered` in the logs: the reason is there.");
  } else {
    line(f.outboxDepth > OUTBOX_BEHIND ? "warn" : "ok", "Outbox", `${counted(f.outboxDepth, "row")} waiting, ${counted(f.pendingJoins, "join")} pending`, "Postgres is behind: check `DATABASE_URL` and the database's status.");
  }

  line(f.rateLimitHits > RATE_LIMIT_HITS_WARN ? "warn" : "ok", "Rate limits", `${counted(f.rateLimitHits, "hit")} in the last day`, "Another bot or script on the same token is using Discord's budget: give this bot its own token.");

  const { refusals, blockedUntil } = f.edge;
  const edgeAction = "Discord's Cloudflare edge is refusing the address the Worker calls from (error 1015, shared with other Workers), not this bot's rate limit: every Discord call waits it out and it clears by itself; if it lasts for hours, tell Discord support.";
  if (blockedUntil !== null && blockedUntil > f.now) {
    line("bad", "Discord's edge", `refusing the bot (error 1015), ${counted(refusals, "refusal")} in the last day; every Discord call waits ${Math.ceil((blockedUntil - f.now) / 1000)} s more`, edgeAction);
  } else {
    line(refusals > 0 ? "warn" : "ok", "Discord's edge", refusals > 0 ? `refused the bot (error 1015) ${counted(refusals, "time")} in the last day; the bot backed off and goes on` : "no refusal in the last day", edgeAction);
  }

  const unattributed = unattributedTotal(f.unattributed);
  const causes = UNATTRIBUTED_KINDS.filter((k) => f.unattributed.counts[k] > 0).map((k) => `${CAUSE_WORDS[k]} ${f.unattributed.counts[k]}`);
  const unresolvedShare = f.joins === 0 ? 0 : (f.unattributed.counts.ambiguous + f.unattributed.counts.gap) / f.joins;
  line(
    unresolvedShare > UNRESOLVED_SHARE_WARN ? "warn" : "ok",
    "Unattributed (7 days)",
    `${unattributed} of ${f.joins} (${pct(unattributed, f.joins)})${causes.length ? `: ${causes.join(", ")}` : ""}`,
    f.memberSearch.enabled
      ? "Many joins are ambiguous or missed: label invites with sources, and keep the relay up."
      : "Many joins are ambiguous: turn member search on with `/invite settings member_search:True`.",
  );

  const { enabled, lastAnswer, exact, agreed, disagreed } = f.memberSearch;
  const checked = agreed + disagreed;
  const resolved = exact > 0 ? `${counted(exact, "join")} resolved by it (7 days); ` : "";
  const agreement = `${resolved}${checked === 0 ? "no join checked yet" : `the diff agreed on ${agreed} of ${checked} (${pct(agreed, checked)})`}`;
  if (!enabled) line("ok", "Member search", "off in `/invite settings`");
  else if (disagreed > 0) line("bad", "Member search", `answers; ${agreement}`, "The diff got joins wrong: look for `exact confirmation disagreed` in the logs and report it.");
  else if (lastAnswer === "refused") line("warn", "Member search", "Discord refuses it for this bot; the diff stands alone", "Nothing to fix on your side; turn it off with `/invite settings member_search:False` to stop asking.");
  else if (lastAnswer === "unavailable") line("warn", "Member search", `did not answer at the last try; ${agreement}`, "Usually a Discord hiccup: it is retried every hour.");
  else line("ok", "Member search", lastAnswer === null && exact === 0 ? "not tried yet" : `answers; ${agreement}`);

  const { failed, deadLettered, jobs } = f.cronRuns;
  if (deadLettered > 0) {
    line("bad", "Cron jobs (1 day)", `${deadLettered} dead-lettered after their retries, ${counted(failed, "failed run")}: ${jobs.join(", ")}`, "Discord was unreachable for this server through every retry: look for `dead-lettered` in the Worker's logs.");
  } else {
    line(failed > 0 ? "warn" : "ok", "Cron jobs (1 day)", failed > 0 ? `${counted(failed, "failed run")}: ${jobs.join(", ")}` : "no failed run", "Check the bot's permissions (Manage Server; Send Messages and Attach Files in the briefing channel); an outage is retried by itself.");
  }

  const worst = f.disagreements.map((d) => `${d.day}: ${d.unexplained > 0 ? counted(d.unexplained, "join") + " no count owns" : counted(-d.unexplained, "counted use") + " no join owns"}`);
  line(
    worst.length > 0 ? "warn" : "ok",
    "Counts (7 days)",
    worst.length > 0 ? worst.join("; ") : "each day's joins match its counted uses and joins that moved no invite",
    "A snapshot was missed or an invite was never in the cache (joins no count owns), or the relay lost joins (uses no join owns): check the relay's `/healthz` and the Drift line.",
  );

  line(f.driftRepaired > 0 ? "warn" : "ok", "Drift (1 day)", `${counted(f.driftRepaired, "invite")} repaired by reconcile`, "The relay is missing invite events: check its logs and `/healthz` (parked events).");
  return lines;
}

const CAUSE_WORDS: Record<(typeof UNATTRIBUTED_KINDS)[number], string> = {
  vanity: "vanity URL",
  unlabelled: "unlabelled invites",
  no_invite: "moved no invite",
  ambiguous: "ambiguous",
  uncounted: "uncounted",
  gap: "missed by the relay",
};

export function overall(lines: HealthLine[]): Level {
  return lines.some((l) => l.level === "bad") ? "bad" : lines.some((l) => l.level === "warn") ? "warn" : "ok";
}
