import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * `/invite season start`: leaderboards count from the latest season's start; a
 * season ends where the next begins. Nothing is deleted, so past seasons can be shown.
 */
export const seasons = pgTable(
  "seasons",
  {
    guildId: text("guild_id").notNull(),
    /** 1, 2, 3… per guild. */
    number: integer("number").notNull(),
    name: text("name").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.number] })],
);

export type Season = typeof seasons.$inferSelect;
