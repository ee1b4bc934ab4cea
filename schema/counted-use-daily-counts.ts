import { date, integer, pgTable, text, unique } from "drizzle-orm/pg-core";

/** Counted uses per guild, UTC day, code and how: whole days of a window (see counted-use-hourly-counts.ts). */
export const countedUseDailyCounts = pgTable(
  "counted_use_daily_counts",
  {
    guildId: text("guild_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    code: text("code").notNull(),
    how: text("how").notNull(),
    uses: integer("uses").notNull(),
    uncounted: integer("uncounted").notNull(),
  },
  (t) => [unique("counted_use_daily_counts_key").on(t.guildId, t.day, t.code, t.how)],
);
