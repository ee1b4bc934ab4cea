import type { Reply } from "../../interactions/reply";
import { fail, type Outcome } from "../failures";

/**
 * `/invite rewards …`, from a registration made before it was removed: roles for
 * invite counts are what Discord's Platform Manipulation Policy calls "invite
 * rewards". The reply says so; nothing is granted, removed or written.
 */
export async function rewardsRetired(): Promise<Outcome<Reply>> {
  return fail({ kind: "rewards_removed" });
}
