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
});

export type JoinLogSettings = typeof joinLogSettings.$inferSelect;
