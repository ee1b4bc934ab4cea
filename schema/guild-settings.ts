import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Per-guild settings from `/invite settings`: where and when the weekly briefing
 * is posted (local time in an IANA zone), and whether the bot may use Discord's
 * member search. A guild without a row has the defaults below and no briefing channel.
 */
export const guildSettings = pgTable(
  "guild_settings",
  {
    guildId: text("guild_id").primaryKey(),
    briefingChannelId: text("briefing_channel_id"),
    /** ISO weekday: 1 Monday … 7 Sunday. */
    briefingDay: integer("briefing_day").notNull().default(1),
    /** Local hour, 0–23. */
    briefingHour: integer("briefing_hour").notNull().default(9),
    timezone: text("timezone").notNull().default("UTC"),
    memberSearch: boolean("member_search").notNull().default(true),
    updatedBy: text("updated_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("guild_settings_day", sql`${t.briefingDay} between 1 and 7`),
    check("guild_settings_hour", sql`${t.briefingHour} between 0 and 23`),
  ],
);

export type GuildSettingsRow = typeof guildSettings.$inferSelect;
