import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { inviteSources, type InviteSource } from "../../schema";
import type { Db, Queryable, Tx } from "../db";

/** A validated source name with its key (worker/sources/names.ts). */
export interface SourceName {
  name: string;
  key: string;
}

/**
 * Runs `fn` in a transaction holding the (guild, key) advisory lock, so the
 * mutations of one source (create, assign, attribute, retire) happen one
 * after another: a retire cannot interleave with a create that labels a new
 * invite, and concurrent retires each see what the previous one did.
 */
export function withSourceLock<T>(db: Db, guildId: string, key: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invite_sources:${guildId}:${key}`}, 0))`);
    return fn(tx);
  });
}

/** The guild's source with this key; retired ones included. */
export async function findSource(db: Queryable, guildId: string, key: string): Promise<InviteSource | undefined> {
  const [row] = await db
    .select()
    .from(inviteSources)
    .where(and(eq(inviteSources.guildId, guildId), eq(inviteSources.nameKey, key)));
  return row;
}

export type EnsuredSource = { source: InviteSource; status: "existing" | "created" | "revived" };

/**
 * Finds the source by key or creates it. A retired source named again comes
 * back to life rather than colliding with its own history.
 */
export async function ensureSource(db: Queryable, guildId: string, source: SourceName): Promise<EnsuredSource> {
  const inserted = await db
    .insert(inviteSources)
    .values({ guildId, name: source.name, nameKey: source.key })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { source: inserted[0], status: "created" };
  const existing = await findSource(db, guildId, source.key);
  if (!existing) throw new Error(`source "${source.key}" neither inserted nor found`);
  if (!existing.retiredAt) return { source: existing, status: "existing" };
  const [revived] = await db
    .update(inviteSources)
    .set({ retiredAt: null })
    .where(eq(inviteSources.id, existing.id))
    .returning();
  return { source: revived!, status: "revived" };
}

export async function markSourceRetired(db: Queryable, sourceId: number, at: Date) {
  await db.update(inviteSources).set({ retiredAt: at }).where(eq(inviteSources.id, sourceId));
}

/** Live sources whose key contains the typed text's key, for autocomplete (Discord shows at most 25). */
export async function searchLiveSources(db: Db, guildId: string, typedKey: string, limit = 25): Promise<InviteSource[]> {
  const escaped = typedKey.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select()
    .from(inviteSources)
    .where(and(eq(inviteSources.guildId, guildId), isNull(inviteSources.retiredAt), sql`${inviteSources.nameKey} like ${`%${escaped}%`}`))
    // Names starting with the typed text first, then alphabetical.
    .orderBy(sql`${inviteSources.nameKey} like ${`${escaped}%`} desc`, asc(inviteSources.nameKey))
    .limit(limit);
}
