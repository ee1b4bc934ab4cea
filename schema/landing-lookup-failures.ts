import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Failed landing-page lookups per client address and time window: guessing codes gets a 429. */
export const landingLookupFailures = pgTable(
  "landing_lookup_failures",
  {
    address: text("address").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    failures: integer("failures").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.address, t.windowStart] })],
);
