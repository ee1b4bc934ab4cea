/**
 * A raid must not become a flood of messages: past SUMMARY_THRESHOLD joins in a
 * minute (by Discord's `joined_at`), a join gets no line of its own in the join
 * log; it is queued, and one line a minute sums up the joins queued since
 * ("37 members joined in the last minute: 31 through Reddit, …").
 *
 * At most once per join: a join's claim in `join_log_posts` is exclusive, either
 * `join` (its own line) or `queued`, which becomes `summed` in the same statement
 * that claims the summary; a summary whose post failed is not posted again.
 */
import { sql } from "drizzle-orm";
import type { JoinLogSettings } from "../../schema";
import type { Queryable } from "../db";
import { messages } from "../discord/messages";
import type { DiscordRest } from "../discord/rest";
import { escapeMarkdown } from "../format/text";
import type { Messages } from "../i18n/messages";
import { serverMessages } from "../i18n/server-locale";
import { logError } from "../log";
import { joinKind } from "../store/join-kind";

/** Joins per minute past which the join log sums up instead of posting a line per join. */
export const SUMMARY_THRESHOLD = 30;
/** One summary a minute at most: also how long a queued join waits for its summary. */
export const SUMMARY_PERIOD_MS = 60_000;
/** Sources named in a summary; the rest are counted together. */
const NAMED_SOURCES = 5;

export interface SummarisedJoin {
  method: string;
  sourceName: string | null;
  vanity: boolean;
}

/** Whether a join gets its own line, given the guild's joins in the minute up to it (itself included). */
export const joinLogMode = (joinsInLastMinute: number): "line" | "summary" => (joinsInLastMinute > SUMMARY_THRESHOLD ? "summary" : "line");

/** The way a join came, as a summary words it. */
function way(join: SummarisedJoin, m: Messages): string {
  if (join.method === "unresolved") return m.t("join_summary.unresolved");
  if (join.sourceName !== null) return m.t("join_summary.through_source", { source: escapeMarkdown(join.sourceName) });
  return join.vanity ? m.t("join_summary.through_vanity") : m.t("join_summary.through_unlabelled");
}

/** The summary line: the count, then the ways they came, most first. */
export function summaryLine(joins: SummarisedJoin[], m: Messages): string {
  const ways = new Map<string, number>();
  for (const join of joins) ways.set(way(join, m), (ways.get(way(join, m)) ?? 0) + 1);
  const sorted = [...ways].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const named = sorted.slice(0, NAMED_SOURCES).map(([way, count]) => m.t("join_summary.way", { count, way }));
  const rest = sorted.slice(NAMED_SOURCES).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) named.push(m.t("join_summary.other_ways", { count: rest, ways: sorted.length - NAMED_SOURCES }));
  return m.t("join_summary.line", { count: joins.length, ways: named.join(", ") });
}

/** The guild's joins in the minute up to `joinedAt`. */
export async function joinsInMinuteBefore(db: Queryable, guildId: string, joinedAt: Date): Promise<number> {
  const result = await db.execute<{ joins: string }>(sql`
    select count(*)::bigint as joins from invite_joins
     where guild_id = ${guildId} and joined_at > ${new Date(joinedAt.getTime() - SUMMARY_PERIOD_MS).toISOString()}::timestamptz
       and joined_at <= ${joinedAt.toISOString()}::timestamptz`);
  return Number(result.rows[0]?.joins ?? 0);
}

/** Queues a join for the next summary, unless it was posted or queued already. */
export async function queueForSummary(db: Queryable, joinId: number): Promise<void> {
  await db.execute(sql`
    insert into join_log_posts (join_id, kind) select ${joinId}, 'queued'
     where not exists (select 1 from join_log_posts where join_id = ${joinId} and kind in ('join', 'summed'))
    on conflict do nothing`);
}

/**
 * Posts the summary once the oldest queued join waited a minute, claiming every
 * queued join of the guild in the same statement. Returns when the next summary
 * is due (a queued join is left), or null.
 */
export async function postDueSummary(db: Queryable, rest: DiscordRest, settings: JoinLogSettings): Promise<number | null> {
  const queued = sql`select p.join_id, p.posted_at from join_log_posts p join invite_joins j on j.id = p.join_id
                      where j.guild_id = ${settings.guildId} and p.kind = 'queued'`;
  const covered = await db.execute<{ method: string; source_name: string | null; vanity: boolean }>(sql`
    with summed as (
      update join_log_posts p set kind = 'summed', posted_at = now()
       where p.kind = 'queued' and p.join_id in (select join_id from (${queued}) q)
         and (select min(posted_at) from (${queued}) q) <= now() - make_interval(secs => ${SUMMARY_PERIOD_MS / 1000})
      returning p.join_id)
    select j.method, s.name as source_name, ${joinKind("j")} = 'vanity' as vanity
      from invite_joins j left join invite_sources s on s.id = j.source_id
     where j.id in (select join_id from summed)`);
  if (covered.rows.length > 0 && settings.joinLogChannelId) {
    const posted = await messages.post(rest, settings.guildId, settings.joinLogChannelId, {
      content: summaryLine(
        covered.rows.map((r) => ({ method: r.method, sourceName: r.source_name, vanity: r.vanity })),
        await serverMessages(db, settings.guildId),
      ),
      allowed_mentions: { parse: [] },
    });
    if (!posted.ok) logError("could not post the join log's summary", posted.error, { guild: settings.guildId, joins: covered.rows.length });
  }
  const next = await db.execute<{ oldest: string | null }>(sql`select min(posted_at) as oldest from (${queued}) q`);
  const oldest = next.rows[0]?.oldest;
  return oldest ? Date.parse(oldest) + SUMMARY_PERIOD_MS : null;
}
