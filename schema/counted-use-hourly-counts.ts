import { integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Counted uses per guild, UTC hour, code and how (and how many uncounted rows),
 * kept by a statement trigger on counted_uses. By code, not source: a code's
 * source is the one it has now, so `/invite assign` relabels past uses without a rewrite.
 */
export const countedUseHourlyCounts = pgTable(
  "counted_use_hourly_counts",
  {
    guildId: text("guild_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    code: text("code").notNull(),
    how: text("how").notNull(),
    uses: integer("uses").notNull(),
    uncounted: integer("uncounted").notNull(),
  },
  (t) => [unique("counted_use_hourly_counts_key").on(t.guildId, t.hour, t.code, t.how)],
);
