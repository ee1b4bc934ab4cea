import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { inviteSources, type InviteSource } from "../../schema";
import type { Db, Queryable } from "../db";


/** The guild's source with this name, compared case-insensitively; retired ones included. */
export async function findSource(db: Queryable, guildId: string, name: string): Promise<InviteSource | undefined> {
  const [row] = await db
    .select()
    .from(inviteSources)
    .where(and(eq(inviteSources.guildId, guildId), eq(sql`lower(${inviteSources.name})`, name.toLowerCase())));
  return row;
}

export type EnsuredSource = { source: InviteSource; status: "existing" | "created" | "revived" };

/**
 * Finds the source by name or creates it. A retired source named again comes
 * back to life rather than colliding with its own history.
 */
export async function ensureSource(db: Queryable, guildId: string, name: string): Promise<EnsuredSource> {
  const inserted = await db
    .insert(inviteSources)
    .values({ guildId, name })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { source: inserted[0], status: "created" };
  const existing = await findSource(db, guildId, name);
  if (!existing) throw new Error(`source "${name}" neither inserted nor found`);
  if (!existing.retiredAt) return { source: existing, status: "existing" };
  const [revived] = await db
    .update(inviteSources)
    .set({ retiredAt: null })
    .where(eq(inviteSources.id, existing.id))
    .returning();
  return { source: revived!, status: "revived" };
}

/** Live sources whose name contains the typed text, for autocomplete (Discord shows at most 25). */
export async function searchLiveSources(db: Db, guildId: string, typed: string, limit = 25): Promise<InviteSource[]> {
  const pattern = `%${typed.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(inviteSources)
    .where(
      and(
        eq(inviteSources.guildId, guildId),
        isNull(inviteSources.retiredAt),
        sql`lower(${inviteSources.name}) like ${pattern}`,
      ),
    )
    // Names starting with the typed text first, then alphabetical.
    .orderBy(sql`lower(${inviteSources.name}) like ${pattern.slice(1)} desc`, asc(sql`lower(${inviteSources.name})`))
    .limit(limit);
}
