import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { inviteSources } from "./invite-sources";

/** Discord invites the bot knows, with the source they are labelled with. */
export const invites = pgTable(
  "invites",
  {
    code: text("code").primaryKey(),
    guildId: text("guild_id").notNull(),
    channelId: text("channel_id"),
    inviterId: text("inviter_id"),
    sourceId: integer("source_id").references(() => inviteSources.id),
    uses: integer("uses").notNull().default(0),
    maxUses: integer("max_uses").notNull().default(0),
    maxAge: integer("max_age").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    index("invites_guild").on(t.guildId),
    index("invites_source").on(t.sourceId),
    // An inviter's invites: where their counts start (/invites show).
    index("invites_guild_inviter").on(t.guildId, t.inviterId),
  ],
);

export type Invite = typeof invites.$inferSelect;
