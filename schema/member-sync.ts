import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The daily member sync's resumable cursor: a pass pages GET /guilds/{id}/members
 * after `after` within a time budget, and the next run goes on from there.
 * A pass that reached the end sets `finished_at` and starts over the next day.
 */
export const memberSync = pgTable("member_sync", {
  guildId: text("guild_id").primaryKey(),
  /** The last user id of the last page written; "0" at the start of a pass. */
  after: text("after").notNull().default("0"),
  passStartedAt: timestamp("pass_started_at", { withTimezone: true }).notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
