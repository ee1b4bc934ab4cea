import { pgTable, text } from "drizzle-orm/pg-core";

/** Invites the bot made with a mark (`role_ids`): `/invite list` and the source drill-down say which. */
export const markedInvites = pgTable("marked_invites", {
  code: text("code").primaryKey(),
  guildId: text("guild_id").notNull(),
  roleId: text("role_id").notNull(),
});
