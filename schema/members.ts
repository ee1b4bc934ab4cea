import { sql } from "drizzle-orm";
import { boolean, index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** The guild's members as the bot saw them arrive and leave. */
export const members = pgTable(
  "members",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
    /** When the daily member sync last found them in Discord's member list: a pass that ends without them marks them gone. */
    seenAt: timestamp("seen_at", { withTimezone: true }),
    /** Bots never get invitations. */
    bot: boolean("bot").notNull().default(false),
    /**
     * `/invite forget`: their join rows were erased. The row stays (membership only)
     * so the member sync does not record the same join again as missed.
     */
    forgottenAt: timestamp("forgotten_at", { withTimezone: true }),
    /**
     * The last name and avatar seen (GUILD_MEMBER_ADD/UPDATE, the member sync), for pages
     * and exports; kept after they leave, until the name retention period drops them.
     */
    username: text("username"),
    globalName: text("global_name"),
    nick: text("nick"),
    avatar: text("avatar"),
    /** A legacy account's 4-digit tag (null for new usernames, Discord's "0"): picks the default avatar. */
    discriminator: text("discriminator"),
  },
  (t) => [
    primaryKey({ columns: [t.guildId, t.userId] }),
    // Retention (who joined in a week, and who of them is still here) from the index alone.
    index("members_guild_joined").on(t.guildId, t.joinedAt, t.leftAt),
    // A wave's candidates (worker/invitations/eligible.ts), in user id order, from the index alone.
    index("members_guild_present").on(t.guildId, t.userId, t.joinedAt).where(sql`${t.leftAt} is null and not ${t.bot}`),
    // Whether a join's member has left, from the index alone: a week's invite counts (the briefing's
    // top inviters) look up each joiner's member instead of hashing the whole table.
    index("members_guild_user_left").on(t.guildId, t.userId, t.leftAt),
  ],
);
