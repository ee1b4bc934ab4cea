import { sql } from "drizzle-orm";
import type { Queryable } from "../db";

export type DailySourceRow = {
  day: string;
  /** Null: the day's joins without a source. */
  source_id: number | null;
  name: string | null;
  joins: number;
};

/**
 * Joins per UTC day and source since `firstDay`, for the charts: a source's are
 * its codes' counted uses (at least its named joins, as in the totals), and the
 * day's other joins are one row without a source.
 */
export async function dailySourceRows(db: Queryable, guildId: string, firstDay: string): Promise<DailySourceRow[]> {
  const result = await db.execute<DailySourceRow>(sql`
    with uses as (
      select c.day, i.source_id, sum(c.uses)::int as uses from counted_use_daily_counts c
        join invites i on i.guild_id = c.guild_id and i.code = c.code
       where c.guild_id = ${guildId} and c.day >= ${firstDay}::date and i.source_id is not null group by 1, 2),
    named as (
      select day, source_id, sum(joins)::int as joins from join_daily_counts
       where guild_id = ${guildId} and day >= ${firstDay}::date and source_id is not null group by 1, 2),
    sourced as (
      select coalesce(u.day, n.day) as day, coalesce(u.source_id, n.source_id) as source_id, greatest(coalesce(u.uses, 0), coalesce(n.joins, 0)) as joins
        from uses u full join named n on n.day = u.day and n.source_id = u.source_id),
    -- Summed per day once, not per day over every source's rows.
    sourced_days as (select day, sum(joins) as joins from sourced group by day),
    totals as (select day, sum(joins)::int as joins from join_daily_counts where guild_id = ${guildId} and day >= ${firstDay}::date group by day)
    select d.day::text as day, d.source_id, s.name, d.joins::int as joins from sourced d left join invite_sources s on s.id = d.source_id where d.joins > 0
    union all
    select t.day::text, null, null, greatest(0, t.joins - coalesce(x.joins, 0))::int from totals t left join sourced_days x on x.day = t.day`);
  return result.rows.map((r) => ({ ...r, joins: Number(r.joins) })).filter((r) => r.joins > 0);
}
