import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The reward roles guilds had set up before `/invite rewards` was removed
 * (Discord's Platform Manipulation Policy prohibits invite rewards), kept as
 * history: nothing reads them to grant or remove a role, and members keep the
 * roles they were given.
 */
export const retiredRewardRoles = pgTable(
  "retired_reward_roles",
  {
    guildId: text("guild_id").notNull(),
    roleId: text("role_id").notNull(),
    invites: integer("invites").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.roleId] })],
);
