import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The codes a guild's vanity URL has had, as its Durable Object learned them
 * (GUILD_CREATE, or GET /guilds/{id}). A join through one of them is a vanity
 * join however it was resolved (the diff, member search, by hand): the rollup
 * trigger and the reports tell `join_kind()` so from this table. Kept after the
 * vanity changes, so past joins stay vanity joins.
 */
export const guildVanityCodes = pgTable(
  "guild_vanity_codes",
  {
    guildId: text("guild_id").notNull(),
    code: text("code").notNull(),
    learnedAt: timestamp("learned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.code] })],
);
