import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The inviters' ranking of a guild for one window (0 = all time), computed at
 * most every few minutes: ranking a million joins takes seconds, reading a page
 * of it milliseconds. Dropped whenever an admin changes a count's rules or a bonus.
 */
export const leaderboardSnapshots = pgTable(
  "leaderboard_snapshots",
  {
    guildId: text("guild_id").notNull(),
    windowDays: integer("window_days").notNull(),
    fakeAccountAgeDays: integer("fake_account_age_days").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
    inviters: integer("inviters").notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.windowDays] })],
);

export const leaderboardRanks = pgTable(
  "leaderboard_ranks",
  {
    guildId: text("guild_id").notNull(),
    windowDays: integer("window_days").notNull(),
    rank: integer("rank").notNull(),
    userId: text("user_id").notNull(),
    regular: integer("regular").notNull(),
    leftCount: integer("left_count").notNull(),
    fake: integer("fake").notNull(),
    bonus: integer("bonus").notNull(),
    /** Joins still within the stay period (`count_after_days`): shown, not counted. */
    pending: integer("pending").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.windowDays, t.rank] })],
);
