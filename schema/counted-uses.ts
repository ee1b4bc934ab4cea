import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * The ledger of counted uses: one row per code per snapshot that counted it
 * (worker/counted-uses/ledger.ts). Exact where joins cannot be named: a source's
 * total over a window is its codes' uses here. Written once through the guild
 * object's outbox; the key makes a replayed write add nothing. `how` says how it
 * was counted; an 'uncounted' row (uses null) is a code whose last uses nobody can count.
 */
export const countedUses = pgTable(
  "counted_uses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    guildId: text("guild_id").notNull(),
    code: text("code").notNull(),
    uses: integer("uses"),
    how: text("how", { enum: ["snapshot", "vanish", "vanity", "reconcile", "uncounted"] }).notNull(),
    /** The interval of Discord's time the uses fell in: after `counted_from`, before `counted_at` (windows take its end). */
    countedFrom: timestamp("counted_from", { withTimezone: true }),
    countedAt: timestamp("counted_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("counted_uses_once").on(t.guildId, t.code, t.countedAt),
    index("counted_uses_guild_time").on(t.guildId, t.countedAt),
    check("counted_uses_how", sql`${t.how} in ('snapshot', 'vanish', 'vanity', 'reconcile', 'uncounted')`),
    check("counted_uses_count", sql`(${t.how} = 'uncounted') = (${t.uses} is null) and coalesce(${t.uses}, 1) > 0`),
  ],
);

export type CountedUse = typeof countedUses.$inferSelect;
