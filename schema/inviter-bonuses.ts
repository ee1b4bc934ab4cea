import { bigserial, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** An admin's adjustment of a member's invite count (`/invite bonus`): kept as rows, each with its reason. */
export const inviterBonuses = pgTable(
  "inviter_bonuses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    amount: integer("amount").notNull(),
    reason: text("reason").notNull(),
    /** The admin who gave it; null once they asked to be forgotten. */
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("inviter_bonuses_guild_user").on(t.guildId, t.userId, t.createdAt)],
);

export type InviterBonus = typeof inviterBonuses.$inferSelect;
