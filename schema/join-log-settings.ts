import { integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Per-guild options of the inviter features (`/invite settings`): the join and
 * leave log and what counts as a fake account. A guild without a row has the defaults.
 */
export const joinLogSettings = pgTable("join_log_settings", {
  guildId: text("guild_id").primaryKey(),
  joinLogChannelId: text("join_log_channel_id"),
  joinMessage: text("join_message"),
  leaveMessage: text("leave_message"),
  fakeAccountAgeDays: integer("fake_account_age_days").notNull().default(7),
  /** A join counts for its inviter on leaderboards once the member has stayed this many days (`count_after_days`). */
  countAfterDays: integer("count_after_days").notNull().default(0),
});

export type JoinLogSettings = typeof joinLogSettings.$inferSelect;
