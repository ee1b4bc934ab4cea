import { eq } from "drizzle-orm";
import { sourceRoles } from "../../schema";
import type { Queryable } from "../db";

/** Gives a source its role (one per source: a new one replaces the old). */
export async function setSourceRole(db: Queryable, guildId: string, sourceId: number, roleId: string) {
  await db.insert(sourceRoles).values({ guildId, sourceId, roleId }).onConflictDoUpdate({ target: sourceRoles.sourceId, set: { roleId } });
}

export async function sourceRole(db: Queryable, sourceId: number): Promise<string | null> {
  const [row] = await db.select({ roleId: sourceRoles.roleId }).from(sourceRoles).where(eq(sourceRoles.sourceId, sourceId));
  return row?.roleId ?? null;
}
