import { boolean, pgTable, text } from "drizzle-orm/pg-core";

/** `/invite settings marks`: whether the bot takes its own marks off members once their join is written. */
export const markSettings = pgTable("mark_settings", {
  guildId: text("guild_id").primaryKey(),
  removeMarks: boolean("remove_marks").notNull().default(false),
});
