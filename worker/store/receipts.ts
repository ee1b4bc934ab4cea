import { sql } from "drizzle-orm";
import type { Db } from "../db";

/**
 * Records an interaction id; false when it was already recorded (a replay).
 * Ids older than 15 minutes are pruned in the same round trip: a signature is
 * only accepted within ±300 s of its timestamp, so a replay arrives at most
 * 10 minutes after the original, and the table stays a few minutes deep.
 */
export async function recordInteraction(db: Db, interactionId: string): Promise<boolean> {
  const result = await db.execute<{ id: string }>(sql`
    with pruned as (delete from interaction_receipts where received_at < now() - interval '15 minutes')
    insert into interaction_receipts (id) values (${interactionId})
    on conflict (id) do nothing
    returning id`);
  return result.rows.length === 1;
}
