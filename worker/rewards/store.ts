import { and, asc, eq } from "drizzle-orm";
import { rewardRoles } from "../../schema";
import type { Queryable } from "../db";

export const listRewards = (db: Queryable, guildId: string) =>
  db.select().from(rewardRoles).where(eq(rewardRoles.guildId, guildId)).orderBy(asc(rewardRoles.invites), asc(rewardRoles.roleId));

/** One threshold per role: adding a role again moves its threshold. */
export async function saveReward(db: Queryable, guildId: string, roleId: string, invites: number) {
  await db
    .insert(rewardRoles)
    .values({ guildId, roleId, invites })
    .onConflictDoUpdate({ target: [rewardRoles.guildId, rewardRoles.roleId], set: { invites } });
}

/** Whether there was such a reward. */
export async function deleteReward(db: Queryable, guildId: string, roleId: string): Promise<boolean> {
  const deleted = await db.delete(rewardRoles).where(and(eq(rewardRoles.guildId, guildId), eq(rewardRoles.roleId, roleId))).returning();
  return deleted.length > 0;
}
