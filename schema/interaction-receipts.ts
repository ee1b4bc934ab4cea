import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Interaction ids already executed. A signed interaction stays valid for its
 * timestamp's ±300 s window, so a replay inside it must not run twice; ids are
 * kept a little longer than that window and then pruned.
 */
export const interactionReceipts = pgTable(
  "interaction_receipts",
  {
    id: text("id").primaryKey(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("interaction_receipts_received").on(t.receivedAt)],
);
