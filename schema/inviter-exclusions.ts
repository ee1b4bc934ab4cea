import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** `/invite exclude`: members kept off leaderboards (staff, bots, alts); their joins and counts stay. */
export const inviterExclusions = pgTable(
  "inviter_exclusions",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    excludedAt: timestamp("excluded_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId] })],
);
