import { pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** A named place members come from ("Reddit Battlefield6"). Never deleted: retiring keeps history. */
export const inviteSources = pgTable(
  "invite_sources",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    /** As first typed, for display. */
    name: text("name").notNull(),
    /**
     * `sourceNameKey(name)` (worker/sources/names.ts): what every lookup matches.
     * The rule lives in JavaScript, so rows written before the column existed (or
     * by raw SQL) get theirs from the migration runner's backfill; until then
     * they are not found by name. Nullable for that reason only.
     */
    nameKey: text("name_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("invite_sources_guild_name_key").on(t.guildId, t.nameKey)],
);

export type InviteSource = typeof inviteSources.$inferSelect;
