import { integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/** One minting of invitations: who asked, under which policy, how many. */
export const waves = pgTable("waves", {
  id: serial("id").primaryKey(),
  guildId: text("guild_id").notNull(),
  policy: jsonb("policy").notNull(),
  requested: integer("requested").notNull(),
  minted: integer("minted").notNull().default(0),
  /** How many members the policy allowed when the wave was drawn. */
  eligible: integer("eligible").notNull().default(0),
  /** The random draw's seed (hex): with the eligible list it explains who got one. */
  seed: text("seed"),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Wave = typeof waves.$inferSelect;
