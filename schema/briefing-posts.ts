import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per guild and briefing week: the claim that makes the weekly briefing
 * post once, however often cron fires in its slot. `posted_at` is null while a
 * run holds the claim; a claim whose lease ran out without a post is taken over.
 */
export const briefingPosts = pgTable(
  "briefing_posts",
  {
    guildId: text("guild_id").notNull(),
    /** ISO week of the slot in the guild's zone, e.g. "2026-W48". */
    week: text("week").notNull(),
    channelId: text("channel_id").notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }),
    messageId: text("message_id"),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.week] })],
);
