import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { inviteSources } from "./invite-sources";

/** `/invite create|assign … role`: members whose join is attributed to the source get this role. */
export const sourceRoles = pgTable("source_roles", {
  sourceId: integer("source_id")
    .primaryKey()
    .references(() => inviteSources.id),
  guildId: text("guild_id").notNull(),
  roleId: text("role_id").notNull(),
});
