import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import type { SourceDetail } from "../format/stats";

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The UTC days of a window ending today, oldest first. */
export function windowDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => utcDay(now.getTime() - (days - 1 - i) * DAY_MS));
}

/**
 * One source's invites, its joins per UTC day over the window (its codes' counted
 * uses, from the ledger's daily rollup; a code's source is the one it has now),
 * and how many of its named members stayed.
 */
export async function sourceDetail(
  db: Queryable,
  guildId: string,
  source: { id: number; name: string; retiredAt: Date | null },
  now: Date,
  days: number,
): Promise<SourceDetail> {
  const dayList = windowDays(now, days);
  const [invites, daily, retention] = await Promise.all([
    db.execute<{ code: string; uses: number; max_uses: number; deleted: boolean; marked: boolean }>(sql`
      select code, uses, max_uses, deleted_at is not null as deleted,
             exists (select 1 from marked_invites m where m.code = invites.code) as marked from invites
       where guild_id = ${guildId} and source_id = ${source.id} order by deleted_at is not null, uses desc, code limit 50`),
    db.execute<{ day: string; joins: number }>(sql`
      select c.day::text as day, sum(c.uses)::int as joins from counted_use_daily_counts c
        join invites i on i.guild_id = c.guild_id and i.code = c.code
       where c.guild_id = ${guildId} and i.source_id = ${source.id} and c.day >= ${dayList[0]}::date group by c.day`),
    db.execute<{ joins: string; stayed: string }>(sql`
      select count(distinct j.user_id)::bigint as joins,
             count(distinct j.user_id) filter (where m.left_at is null and m.user_id is not null)::bigint as stayed
        from invite_joins j left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id
       where j.guild_id = ${guildId} and j.source_id = ${source.id} and j.joined_at >= ${dayList[0]}::date`),
  ]);
  const byDay = new Map(daily.rows.map((r) => [r.day, Number(r.joins)]));
  const named = Number(retention.rows[0]?.joins ?? 0);
  return {
    name: source.name,
    retired: source.retiredAt !== null,
    invites: invites.rows.map((r) => ({ code: r.code, uses: r.uses, maxUses: r.max_uses, deleted: r.deleted, marked: r.marked })),
    daily: dayList.map((day) => ({ day, joins: byDay.get(day) ?? 0 })),
    joins: Math.max(named, [...byDay.values()].reduce((sum, n) => sum + n, 0)),
    named,
    stillMembers: Number(retention.rows[0]?.stayed ?? 0),
  };
}
