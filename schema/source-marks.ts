import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { inviteSources } from "./invite-sources";

/**
 * Which role marks which source: invites of the source grant it on accept
 * (`role_ids`), so a member who has it when they join came through that source.
 * A role marks one source for good (rows are never re-pointed: members and old
 * invites still carry it); a source's latest row is the mark its next invites get.
 */
export const sourceMarks = pgTable(
  "source_marks",
  {
    guildId: text("guild_id").notNull(),
    roleId: text("role_id").notNull(),
    /** Null for the guild's one "invited" mark, granted by every invitation's single-use invite. */
    sourceId: integer("source_id").references(() => inviteSources.id),
    /** Made by the bot: `marks:remove` takes it off members and `/invite retire delete_mark` may delete it. An admin's role is always kept. */
    createdByBot: boolean("created_by_bot").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.guildId, t.roleId] }),
    index("source_marks_source").on(t.sourceId, t.createdAt),
    uniqueIndex("source_marks_invited").on(t.guildId).where(sql`${t.sourceId} is null`),
  ],
);

export type SourceMark = typeof sourceMarks.$inferSelect;
