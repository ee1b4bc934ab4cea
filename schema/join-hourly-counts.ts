import { integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Joins per guild, UTC hour, source and kind: the hours of a window's partial
 * days, so no report counts more raw joins than the window's partial hours hold.
 * Kept by the same trigger as join_daily_counts.
 */
export const joinHourlyCounts = pgTable(
  "join_hourly_counts",
  {
    guildId: text("guild_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    sourceId: integer("source_id"),
    kind: text("kind").notNull(),
    joins: integer("joins").notNull(),
  },
  (t) => [unique("join_hourly_counts_key").on(t.guildId, t.hour, t.sourceId, t.kind).nullsNotDistinct()],
);
