import { and, eq } from "drizzle-orm";
import { inviterExclusions } from "../../schema";
import type { Queryable } from "../db";

/** Keeps a member off the leaderboards; false if they already were. */
export async function excludeInviter(db: Queryable, guildId: string, userId: string, now: Date): Promise<boolean> {
  const rows = await db.insert(inviterExclusions).values({ guildId, userId, excludedAt: now }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** Puts a member back on the leaderboards; false if they were not excluded. */
export async function includeInviter(db: Queryable, guildId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(inviterExclusions)
    .where(and(eq(inviterExclusions.guildId, guildId), eq(inviterExclusions.userId, userId)))
    .returning();
  return rows.length > 0;
}

/** The excluded members, earliest first. */
export async function excludedInviters(db: Queryable, guildId: string): Promise<Array<{ userId: string; excludedAt: Date }>> {
  return db
    .select({ userId: inviterExclusions.userId, excludedAt: inviterExclusions.excludedAt })
    .from(inviterExclusions)
    .where(eq(inviterExclusions.guildId, guildId))
    .orderBy(inviterExclusions.excludedAt, inviterExclusions.userId);
}
