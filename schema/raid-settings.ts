import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Raid alerts of `/invite settings`: where they are posted, and how many joins
 * a minute through one invite (or through none) make a raid. A guild without a
 * row, or with no channel, gets no alerts.
 */
export const raidSettings = pgTable(
  "raid_settings",
  {
    guildId: text("guild_id").primaryKey(),
    channelId: text("channel_id"),
    /** Joins per minute through one invite code, or through no invite at all. */
    threshold: integer("threshold").notNull(),
  },
  (t) => [check("raid_settings_threshold", sql`${t.threshold} >= 1`)],
);

export type RaidSettingsRow = typeof raidSettings.$inferSelect;
