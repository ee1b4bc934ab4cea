import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Hourly exact confirmation: what Discord's member search said about a join the
 * diff had already attributed. `agreed` false is a wrong diff verdict, shown in
 * `/invite health` and logged loudly.
 */
export const exactChecks = pgTable(
  "exact_checks",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    diffCode: text("diff_code"),
    exactCode: text("exact_code"),
    /** 'agreed' or 'disagreed'. */
    outcome: text("outcome", { enum: ["agreed", "disagreed"] }).notNull(),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId, t.joinedAt] }), index("exact_checks_guild_time").on(t.guildId, t.checkedAt)],
);
