import { integer, pgTable, serial, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * One row per raid the guild's object detected (worker/raids): the alert's
 * message, edited in place while the raid goes on, and the window whose joins
 * "List the members" shows. `invite_code` null: joins through no invite (Discovery).
 */
export const raidAlerts = pgTable(
  "raid_alerts",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    /** The object's id of the raid: a replayed outbox item finds its row. */
    raidKey: text("raid_key").notNull(),
    inviteCode: text("invite_code"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    lastJoinAt: timestamp("last_join_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    joins: integer("joins").notNull(),
    peakPerMinute: integer("peak_per_minute").notNull(),
    channelId: text("channel_id"),
    messageId: text("message_id"),
  },
  (t) => [unique("raid_alerts_once").on(t.guildId, t.raidKey)],
);

export type RaidAlertRow = typeof raidAlerts.$inferSelect;
