import { integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/** One minting of invitations: who asked, under which policy, how many. */
export const waves = pgTable("waves", {
  id: serial("id").primaryKey(),
  guildId: text("guild_id").notNull(),
  policy: jsonb("policy").notNull(),
  requested: integer("requested").notNull(),
  minted: integer("minted").notNull().default(0),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
