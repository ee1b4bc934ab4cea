import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * A server's language for its public posts (briefing, join log, welcome post,
 * raid alerts, invitation DMs): `/invite settings language:` when set, else the
 * `guild_locale` Discord last sent with an interaction, else English.
 */
export const guildLanguages = pgTable("guild_languages", {
  guildId: text("guild_id").primaryKey(),
  /** The override chosen with `/invite settings language:` (a shipped locale); null follows Discord. */
  language: text("language"),
  /** The server's language as Discord last sent it (an interaction's `guild_locale`). */
  guildLocale: text("guild_locale"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
