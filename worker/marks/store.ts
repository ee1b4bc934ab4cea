import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { inviteSources, markedInvites, markSettings, sourceMarks } from "../../schema";
import type { Db, Queryable } from "../db";

/** A source's mark for its next invites: its latest. */
export async function latestMark(db: Queryable, sourceId: number): Promise<{ roleId: string; createdByBot: boolean } | null> {
  const [row] = await db
    .select({ roleId: sourceMarks.roleId, createdByBot: sourceMarks.createdByBot })
    .from(sourceMarks)
    .where(eq(sourceMarks.sourceId, sourceId))
    .orderBy(desc(sourceMarks.createdAt))
    .limit(1);
  return row ?? null;
}

/** What a role marks already: a source (its name and key), or invitations (`sourceId` null); null if nothing. */
export async function markHolder(db: Queryable, guildId: string, roleId: string) {
  const [row] = await db
    .select({ sourceId: sourceMarks.sourceId, name: inviteSources.name, key: inviteSources.nameKey, createdByBot: sourceMarks.createdByBot })
    .from(sourceMarks)
    .leftJoin(inviteSources, eq(inviteSources.id, sourceMarks.sourceId))
    .where(and(eq(sourceMarks.guildId, guildId), eq(sourceMarks.roleId, roleId)));
  return row ?? null;
}

/**
 * Binds a role to a source (or, with `sourceId` null, to invitations) unless it
 * marks something already; returns what it marks now. A role is never re-pointed:
 * old invites and members carry it, so it must keep naming the same source.
 */
export async function bindMark(db: Queryable, guildId: string, roleId: string, sourceId: number | null, createdByBot: boolean): Promise<{ sourceId: number | null; roleId: string }> {
  await db.insert(sourceMarks).values({ guildId, roleId, sourceId, createdByBot }).onConflictDoNothing();
  // The guild's one invitations' mark may be another role, made by a concurrent click.
  const [holder] = await db
    .select({ sourceId: sourceMarks.sourceId, roleId: sourceMarks.roleId })
    .from(sourceMarks)
    .where(sourceId === null ? and(eq(sourceMarks.guildId, guildId), isNull(sourceMarks.sourceId)) : and(eq(sourceMarks.guildId, guildId), eq(sourceMarks.roleId, roleId)));
  return holder!;
}

export async function invitedMark(db: Queryable, guildId: string): Promise<string | null> {
  const [row] = await db.select({ roleId: sourceMarks.roleId }).from(sourceMarks).where(and(eq(sourceMarks.guildId, guildId), isNull(sourceMarks.sourceId)));
  return row?.roleId ?? null;
}

/** The roles that ever marked a source, and whether the bot made them. */
export async function marksOfSource(db: Queryable, sourceId: number) {
  return db.select({ roleId: sourceMarks.roleId, createdByBot: sourceMarks.createdByBot }).from(sourceMarks).where(eq(sourceMarks.sourceId, sourceId));
}

export async function recordMarkedInvite(db: Queryable, guildId: string, code: string, roleId: string) {
  await db.insert(markedInvites).values({ guildId, code, roleId }).onConflictDoNothing();
}

/** Which of these codes the bot made with a mark. */
export async function markedCodes(db: Queryable, guildId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .select({ code: markedInvites.code })
    .from(markedInvites)
    .where(and(eq(markedInvites.guildId, guildId), inArray(markedInvites.code, codes)));
  return new Set(rows.map((r) => r.code));
}

/** `/invite settings marks`: `remove` takes the bot's marks off members once their join is written. */
export async function readRemoveMarks(db: Queryable, guildId: string): Promise<boolean> {
  const [row] = await db.select({ removeMarks: markSettings.removeMarks }).from(markSettings).where(eq(markSettings.guildId, guildId));
  return row?.removeMarks ?? false;
}

export async function saveRemoveMarks(db: Queryable, guildId: string, removeMarks: boolean) {
  await db.insert(markSettings).values({ guildId, removeMarks }).onConflictDoUpdate({ target: markSettings.guildId, set: { removeMarks } });
}

/** Live marked invites, and joins since `since` named by their mark. */
export async function markFigures(db: Db, guildId: string, since: Date): Promise<{ markedInvites: number; markedJoins: number }> {
  const { rows } = await db.execute<{ invites: number; joins: number }>(sql`
    select (select count(*)::int from marked_invites m join invites i on i.code = m.code
             where m.guild_id = ${guildId} and i.deleted_at is null) as invites,
           (select count(*)::int from invite_joins
             where guild_id = ${guildId} and method = 'role' and joined_at >= ${since.toISOString()}::timestamptz) as joins`);
  return { markedInvites: rows[0]!.invites, markedJoins: rows[0]!.joins };
}

/**
 * The bot's own marks a member took on through the join just written, when the
 * guild asked for them to be removed: the bot-made marks of the join's source
 * (or the invitations' mark) that its invite carried, or all of them for a join
 * named by its mark. The role an admin chose is never among them.
 */
export async function marksToTakeOff(db: Queryable, join: { guildId: string; userId: string; joinedAt: number }): Promise<string[]> {
  const { rows } = await db.execute<{ role_id: string }>(sql`
    select m.role_id from invite_joins j
      join mark_settings s on s.guild_id = j.guild_id and s.remove_marks
      join source_marks m on m.guild_id = j.guild_id and m.created_by_bot
       and (m.source_id = j.source_id or (m.source_id is null and j.invitation_id is not null))
     where j.guild_id = ${join.guildId} and j.user_id = ${join.userId} and j.joined_at = ${new Date(join.joinedAt).toISOString()}::timestamptz
       and (j.method = 'role' or exists (select 1 from marked_invites mi where mi.code = j.invite_code and mi.role_id = m.role_id))`);
  return rows.map((r) => r.role_id);
}
