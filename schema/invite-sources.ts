import { sql } from "drizzle-orm";
import { pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** A named place members come from ("Reddit Battlefield6"). Never deleted: retiring keeps history. */
export const inviteSources = pgTable(
  "invite_sources",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("invite_sources_guild_name_ci").on(t.guildId, sql`lower(${t.name})`)],
);

export type InviteSource = typeof inviteSources.$inferSelect;
