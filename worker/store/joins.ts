import { desc, eq, sql } from "drizzle-orm";
import { inviteJoins, inviteSources } from "../../schema";
import type { Db, Queryable } from "../db";

export interface SourceCount {
  sourceId: number | null;
  name: string | null;
  retired: boolean;
  joins: number;
}

/**
 * Joins per source since `since`. Whole UTC days come from join_daily_counts
 * (kept by a trigger); only the partial first day is counted from raw rows,
 * so the cost does not grow with the number of joins.
 */
export async function joinsBySource(db: Db, guildId: string, since: Date): Promise<SourceCount[]> {
  const sinceIso = since.toISOString();
  const result = await db.execute<{ source_id: number | null; name: string | null; retired: boolean; joins: string }>(sql`
    with counts as (
      select source_id, count(*)::bigint as joins
        from invite_joins
       where guild_id = ${guildId}
         and joined_at >= ${sinceIso}::timestamptz
         and joined_at < (date_trunc('day', ${sinceIso}::timestamptz at time zone 'UTC') + interval '1 day') at time zone 'UTC'
       group by source_id
      union all
      select source_id, sum(joins)::bigint
        from join_daily_counts
       where guild_id = ${guildId}
         and day > (${sinceIso}::timestamptz at time zone 'UTC')::date
       group by source_id
    )
    select c.source_id, s.name, s.retired_at is not null as retired, sum(c.joins)::bigint as joins
      from counts c left join invite_sources s on s.id = c.source_id
     group by c.source_id, s.name, s.retired_at
    having sum(c.joins) > 0
     order by joins desc, s.name`);
  return result.rows.map((r) => ({ sourceId: r.source_id, name: r.name, retired: r.retired, joins: Number(r.joins) }));
}

export function recentJoins(db: Db, guildId: string, limit: number) {
  return db
    .select({
      userId: inviteJoins.userId,
      joinedAt: inviteJoins.joinedAt,
      inviteCode: inviteJoins.inviteCode,
      method: inviteJoins.method,
      candidates: inviteJoins.candidates,
      isRejoin: inviteJoins.isRejoin,
      sourceName: inviteSources.name,
    })
    .from(inviteJoins)
    .leftJoin(inviteSources, eq(inviteJoins.sourceId, inviteSources.id))
    .where(eq(inviteJoins.guildId, guildId))
    .orderBy(desc(inviteJoins.joinedAt), desc(inviteJoins.id))
    .limit(limit);
}

export type RecentJoin = Awaited<ReturnType<typeof recentJoins>>[number];

/** Gives the member's latest unresolved join a source by hand. Returns whether there was one. */
export async function attributeLatestUnresolved(db: Queryable, guildId: string, userId: string, sourceId: number) {
  const updated = await db.execute(sql`
    update invite_joins set source_id = ${sourceId}, method = 'manual'
     where id = (select id from invite_joins
                  where guild_id = ${guildId} and user_id = ${userId} and method = 'unresolved'
                  order by joined_at desc limit 1)
    returning id`);
  return updated.rows.length > 0;
}
