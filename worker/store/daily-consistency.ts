import { sql } from "drizzle-orm";
import type { DayCounts } from "../counted-uses";
import type { Queryable } from "../db";

/**
 * Each UTC day from `firstDay` to today, the joins recorded against the uses
 * counted (from both rollups), for `/invite health`. Days before the guild's first
 * ledger row are left out: joins from before the ledger have no counts to agree with.
 */
export async function dailyConsistency(db: Queryable, guildId: string, firstDay: string, today: string): Promise<DayCounts[]> {
  const result = await db.execute<{ day: string; joins: string; counted: string; no_invite: string; explained: string }>(sql`
    with started as (select (min(counted_at) at time zone 'UTC')::date as day from counted_uses where guild_id = ${guildId}),
    days as (
      select d::date as day from generate_series(${firstDay}::date, ${today}::date, interval '1 day') d
       where d::date >= (select day from started)),
    j as (
      select day, sum(joins)::bigint as joins, coalesce(sum(joins) filter (where kind = 'no_invite'), 0)::bigint as no_invite,
             coalesce(sum(joins) filter (where kind = 'gap'), 0)::bigint as gap
        from join_daily_counts where guild_id = ${guildId} and day >= ${firstDay}::date group by day),
    c as (select day, sum(uses)::bigint as counted from counted_use_daily_counts where guild_id = ${guildId} and day >= ${firstDay}::date group by day),
    -- Unnamed joins that may have used an invite whose last uses were never counted.
    u as (
      select (joined_at at time zone 'UTC')::date as day, count(*)::bigint as n from invite_joins
       where guild_id = ${guildId} and joined_at >= ${firstDay}::date and source_id is null and method = 'unresolved'
         and candidates && (select coalesce(array_agg(code), '{}') from counted_uses
                             where guild_id = ${guildId} and how = 'uncounted' and counted_at >= ${firstDay}::date - 1)
       group by 1)
    select days.day::text as day, coalesce(j.joins, 0) as joins, coalesce(c.counted, 0) as counted, coalesce(j.no_invite, 0) as no_invite,
           coalesce(j.gap, 0) + coalesce(u.n, 0) as explained
      from days left join j using (day) left join c using (day) left join u using (day)
     order by days.day`);
  return result.rows.map((r) => ({ day: r.day, joins: Number(r.joins), counted: Number(r.counted), noInvite: Number(r.no_invite), explained: Number(r.explained) }));
}
