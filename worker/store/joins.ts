import { and, eq, sql } from "drizzle-orm";
import { resolveByElimination } from "../attribution";
import { inviteJoins, type JoinMethod } from "../../schema";
import type { Db, Queryable } from "../db";
import type { RecentRow } from "../format/recent";
import { joinInviter, joinsWithInviters } from "../inviters/store";
import { joinKind } from "./join-kind";
import { windowCounts } from "./window-counts";

export interface SourceCount {
  sourceId: number | null;
  name: string | null;
  retired: boolean;
  joins: number;
}

/** Joins per source since `since` (the source-less ones as one row with no name), from the rollups (see window-counts.ts). */
export async function joinsBySource(db: Db, guildId: string, since: Date): Promise<SourceCount[]> {
  const result = await db.execute<{ source_id: number | null; name: string | null; retired: boolean; joins: string }>(sql`
    with counts as (${windowCounts(guildId, since)})
    select c.source_id, s.name, s.retired_at is not null as retired, sum(c.joins)::bigint as joins
      from counts c left join invite_sources s on s.id = c.source_id
     group by c.source_id, s.name, s.retired_at
    having sum(c.joins) > 0
     order by joins desc, s.name`);
  return result.rows.map((r) => ({ sourceId: r.source_id, name: r.name, retired: r.retired, joins: Number(r.joins) }));
}

/**
 * The guild's latest joins, newest first, each with its kind as stats counts it and
 * its inviter as the inviter counts have it (worker/inviters/store.ts).
 */
export async function recentJoins(db: Queryable, guildId: string, botUserId: string, limit: number): Promise<RecentRow[]> {
  const result = await db.execute<{
    user_id: string;
    joined_at: string;
    invite_code: string | null;
    method: JoinMethod;
    candidates: string[] | null;
    is_rejoin: boolean;
    source_name: string | null;
    kind: RecentRow["kind"];
    inviter_id: string | null;
    through_invitation: boolean;
  }>(sql`
    select j.user_id, j.joined_at, j.invite_code, j.method, j.candidates, j.is_rejoin, s.name as source_name,
           ${joinKind("j")} as kind, ${joinInviter(botUserId)} as inviter_id, inv.inviter_id is not null as through_invitation
      ${joinsWithInviters}
      left join invite_sources s on s.id = j.source_id
     where j.guild_id = ${guildId}
     order by j.joined_at desc, j.id desc limit ${limit}`);
  return result.rows.map((r) => ({
    userId: r.user_id,
    joinedAt: new Date(r.joined_at),
    inviteCode: r.invite_code,
    method: r.method,
    candidates: r.candidates,
    isRejoin: r.is_rejoin,
    sourceName: r.source_name,
    kind: r.kind,
    inviter: r.inviter_id === null ? null : { userId: r.inviter_id, throughInvitation: r.through_invitation },
  }));
}

/**
 * Gives the member's latest unresolved join a source by hand. When exactly one
 * of its candidate codes belongs to that source, the code is recorded too, so
 * the rest of its group can follow by elimination. Returns the join, or null.
 */
export async function attributeLatestUnresolved(db: Queryable, guildId: string, userId: string, sourceId: number) {
  const updated = await db.execute<{ id: number; group_id: string | null }>(sql`
    with target as (
      select id, candidates from invite_joins
       where guild_id = ${guildId} and user_id = ${userId} and method = 'unresolved'
       order by joined_at desc limit 1
    ), code as (
      select min(i.code) as code from invites i, target t
       where i.guild_id = ${guildId} and i.source_id = ${sourceId} and i.code = any(t.candidates)
      having count(distinct i.code) = 1
    )
    update invite_joins set source_id = ${sourceId}, method = 'manual', invite_code = (select code from code)
     where id = (select id from target)
    returning id, group_id`);
  return updated.rows[0] ?? null;
}

/**
 * Settles the last open join of a group by elimination, when the pure rule can
 * (every other member resolved to a code). Returns the user it settled, or null.
 */
export async function eliminateInGroup(db: Queryable, guildId: string, groupId: string): Promise<{ userId: string; code: string } | null> {
  const rows = await db
    .select({ id: inviteJoins.id, userId: inviteJoins.userId, method: inviteJoins.method, code: inviteJoins.inviteCode, candidates: inviteJoins.candidates })
    .from(inviteJoins)
    .where(and(eq(inviteJoins.guildId, guildId), eq(inviteJoins.groupId, groupId)));
  // A join named by source alone still has its code in doubt: it is open like an unresolved one.
  const isOpen = (method: string) => method === "unresolved" || method === "source";
  const resolved = new Map(rows.filter((r) => !isOpen(r.method) && r.code !== null).map((r) => [String(r.id), r.code!]));
  const open = rows.find((r) => isOpen(r.method));
  const last = resolveByElimination(
    { groupId, members: rows.map((r) => String(r.id)), candidates: open?.candidates ?? [], eliminable: true },
    resolved,
  );
  if (!last) return null;
  await db.execute(sql`
    update invite_joins
       set invite_code = ${last.code}, method = 'diff', candidates_inviter_id = null,
           source_id = (select source_id from invites where code = ${last.code} and guild_id = ${guildId})
     where id = ${Number(last.eventId)} and method in ('unresolved', 'source')`);
  return { userId: rows.find((r) => String(r.id) === last.eventId)!.userId, code: last.code };
}
