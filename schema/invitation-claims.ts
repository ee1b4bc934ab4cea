import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { invitations } from "./invitations";

/**
 * "Join with Discord" holds an invitation for one user while the bot adds them:
 * taken before Discord is asked, given back when the add fails. Two browsers on
 * one invitation cannot both hold it, so at most one member is added. A claim
 * past `claimed_until` is free to take (the add it guarded ended long ago).
 */
export const invitationClaims = pgTable("invitation_claims", {
  invitationId: integer("invitation_id")
    .primaryKey()
    .references(() => invitations.id, { onDelete: "cascade" }),
  /** The invitation's guild: what the privacy tools scope by. */
  guildId: text("guild_id").notNull(),
  userId: text("user_id").notNull(),
  claimedUntil: timestamp("claimed_until", { withTimezone: true }).notNull(),
});
