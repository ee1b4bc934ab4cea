import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * When the bot last joined each guild (Discord's `joined_at` for the bot's own
 * member: GUILD_CREATE, or GET /guilds/{id}/members/{bot id}). Members who
 * joined before it are members, not joins the relay missed.
 */
export const botArrivals = pgTable("bot_arrivals", {
  guildId: text("guild_id").primaryKey(),
  joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
});
