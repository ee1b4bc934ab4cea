import { bigint, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Join and leave messages already claimed: a verdict written again (revised,
 * or retried after a lost acknowledgement) must not post a second message.
 */
export const joinLogPosts = pgTable(
  "join_log_posts",
  {
    joinId: bigint("join_id", { mode: "number" }).notNull(),
    /** `queued`: waits for the join log's raid summary; `summed`: in a summary posted at `posted_at`. */
    kind: text("kind", { enum: ["join", "leave", "queued", "summed"] }).notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.joinId, t.kind] })],
);
