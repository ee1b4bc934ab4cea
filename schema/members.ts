import { boolean, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** The guild's members as the bot saw them arrive and leave. */
export const members = pgTable(
  "members",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
    /** Bots never get invitations. */
    bot: boolean("bot").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId] })],
);
