import { date, integer, pgTable, text, unique } from "drizzle-orm/pg-core";

/**
 * Joins per guild, UTC day and source, kept by a statement-level trigger on
 * invite_joins (see the migration). `/invite stats` reads whole days from here
 * and only the partial first day from the raw rows.
 */
export const joinDailyCounts = pgTable(
  "join_daily_counts",
  {
    guildId: text("guild_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    sourceId: integer("source_id"),
    joins: integer("joins").notNull(),
  },
  (t) => [unique("join_daily_counts_key").on(t.guildId, t.day, t.sourceId).nullsNotDistinct()],
);
