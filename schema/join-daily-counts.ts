import { date, integer, pgTable, text, unique } from "drizzle-orm/pg-core";

/**
 * Joins per guild, UTC day, source and kind (`join_kind()` in the migrations:
 * 'source' when the join has one, else why not: vanity, unlabelled, gap,
 * no_invite, ambiguous). Kept by a statement-level trigger on invite_joins,
 * like join_hourly_counts; reports read whole days here (see worker/store/window-counts.ts).
 */
export const joinDailyCounts = pgTable(
  "join_daily_counts",
  {
    guildId: text("guild_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    sourceId: integer("source_id"),
    kind: text("kind").notNull().default("source"),
    joins: integer("joins").notNull(),
  },
  (t) => [unique("join_daily_counts_key").on(t.guildId, t.day, t.sourceId, t.kind).nullsNotDistinct()],
);
