import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Servers the bot was removed from (GUILD_DELETE without `unavailable`), or lost
 * access to (reconcile met Missing Access three times in a row). The cron's jobs
 * skip them; after the grace period (`GUILD_PURGE_GRACE_DAYS`) everything kept
 * about them is purged, this row last. A return within it deletes the row.
 */
export const departedGuilds = pgTable("departed_guilds", {
  guildId: text("guild_id").primaryKey(),
  leftAt: timestamp("left_at", { withTimezone: true }).notNull(),
  reason: text("reason", { enum: ["removed", "missing_access"] }).notNull(),
});
