import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** `/invite rewards`: a role an inviter earns at a number of invites (regular minus fake and left, plus bonus). */
export const rewardRoles = pgTable(
  "reward_roles",
  {
    guildId: text("guild_id").notNull(),
    roleId: text("role_id").notNull(),
    invites: integer("invites").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.roleId] })],
);

export type RewardRole = typeof rewardRoles.$inferSelect;
