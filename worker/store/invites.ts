import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { APIExtendedInvite, APIInvite } from "discord-api-types/payloads/v10";
import { invites, inviteSources } from "../../schema";
import type { Db, Queryable } from "../db";
import { candidatesShare } from "./candidates-share";

/** Stores an invite as Discord described it, labelled with a source (a re-label moves it). */
export async function saveInvite(db: Queryable, guildId: string, invite: APIInvite | APIExtendedInvite, sourceId: number) {
  const meta = "uses" in invite ? invite : undefined;
  const row = {
    code: invite.code,
    guildId,
    channelId: invite.channel?.id ?? null,
    inviterId: invite.inviter?.id ?? null,
    sourceId,
    uses: meta?.uses ?? 0,
    maxUses: meta?.max_uses ?? 0,
    maxAge: meta?.max_age ?? 0,
    expiresAt: invite.expires_at ? new Date(invite.expires_at) : null,
    createdAt: meta?.created_at ? new Date(meta.created_at) : new Date(),
    deletedAt: null,
  };
  const [previous] = await db.select({ sourceId: invites.sourceId }).from(invites).where(eq(invites.code, invite.code));
  await db
    .insert(invites)
    .values(row)
    .onConflictDoUpdate({
      target: invites.code,
      set: { sourceId, channelId: row.channelId, expiresAt: row.expiresAt, deletedAt: null, ...(meta ? { uses: row.uses, maxUses: row.maxUses, maxAge: row.maxAge } : {}) },
    });
  return { previousSourceId: previous?.sourceId ?? null };
}

/**
 * A code's source is the one it has now: after a relabel its past joins follow,
 * as its past counted uses do in the totals. A join an admin attributed by hand keeps its source.
 * A join named by its candidates' one source (`method = source`) is judged again:
 * with the new label they may share another source, or none (it is unresolved again).
 */
export async function relabelJoins(db: Queryable, guildId: string, code: string, sourceId: number) {
  await db.execute(sql`
    update invite_joins set source_id = ${sourceId}
     where guild_id = ${guildId} and invite_code = ${code} and method <> 'manual' and source_id is distinct from ${sourceId}`);
  await db.execute(sql`
    with judged as (
      select j.id, (${candidatesShare(guildId, sql`j.candidates`, "source_id")}) as source_id
        from invite_joins j where j.guild_id = ${guildId} and j.method = 'source' and j.candidates @> array[${code}]::text[])
    update invite_joins j set source_id = judged.source_id, method = case when judged.source_id is null then 'unresolved' else 'source' end
      from judged where j.id = judged.id and j.source_id is distinct from judged.source_id`);
}

/** Invites of these codes that the bot labelled, with their source names. */
export async function labelsFor(db: Db, guildId: string, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ code: invites.code, name: inviteSources.name })
    .from(invites)
    .innerJoin(inviteSources, eq(invites.sourceId, inviteSources.id))
    .where(and(eq(invites.guildId, guildId), inArray(invites.code, codes)));
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * Marks the source's live invites deleted and returns their codes, before
 * Discord is asked to delete them: two retires claim disjoint sets, so each
 * deletes, and reports, only what it claimed.
 */
export async function claimLiveInvites(db: Queryable, sourceId: number, at: Date): Promise<string[]> {
  const rows = await db
    .update(invites)
    .set({ deletedAt: at })
    .where(and(eq(invites.sourceId, sourceId), isNull(invites.deletedAt)))
    .returning({ code: invites.code });
  return rows.map((r) => r.code).sort();
}

/** Gives back claimed invites that Discord still has (a retire stopped part-way). */
export async function releaseInvites(db: Queryable, codes: string[], claimedAt: Date) {
  if (codes.length === 0) return;
  await db.update(invites).set({ deletedAt: null }).where(and(inArray(invites.code, codes), eq(invites.deletedAt, claimedAt)));
}
