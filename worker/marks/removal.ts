/**
 * Taking the bot's marks off members (`/invite settings marks:remove`) once
 * their join's verdict is written: one outbox item per role, paced and retried
 * by the guild's object. Attribution never waits on it: the verdict is written
 * before the removal is queued, and a removal that fails only retries.
 */
import type { Queryable } from "../db";
import type { DiscordResult } from "../discord/rest";
import type { OutboxItem } from "../guild-invites/outbox";
import { logError } from "../log";
import { marksToTakeOff, readRemoveMarks } from "./store";

export type RemoveMarkItem = Extract<OutboxItem, { kind: "remove_mark" }>;

/** Between two removals: Discord's per-route limit on member roles is a handful per second; this stays well under it. */
export const MARK_REMOVAL_GAP_MS = 250;
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 30 * 60_000;
/** Discord's codes for nothing left to remove: the member left, or the role was deleted. */
const UNKNOWN_MEMBER = 10007;
const UNKNOWN_ROLE = 10011;

export type RemovalStep = { kind: "done" } | { kind: "retry"; notBefore: number } | { kind: "give_up" };

/**
 * What follows one removal's answer, pure. A 429 waits its `retry_after`;
 * any other failure (an outage, or Manage Roles taken away) backs off and
 * retries, up to MAX_ATTEMPTS in all.
 */
export function afterRemoval(result: DiscordResult<void>, attempts: number, now: number): RemovalStep {
  if (result.ok) return { kind: "done" };
  const error = result.error;
  if (error.kind === "discord" && (error.code === UNKNOWN_MEMBER || error.code === UNKNOWN_ROLE)) return { kind: "done" };
  if (attempts + 1 >= MAX_ATTEMPTS) return { kind: "give_up" };
  const wait = error.kind === "discord_unavailable" && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** attempts);
  return { kind: "retry", notBefore: now + wait };
}

/**
 * The removals written joins call for (one guild's); none when the lookup fails (a
 * removal is never worth failing a flush). The guild's setting is read once: in a
 * raid, a query per join would hold the outbox back.
 */
export async function removalsAfter(db: Queryable, joins: ReadonlyArray<Extract<OutboxItem, { kind: "join" }>>): Promise<RemoveMarkItem[]> {
  if (joins.length === 0) return [];
  try {
    if (!(await readRemoveMarks(db, joins[0]!.guildId))) return [];
    const removals: RemoveMarkItem[] = [];
    for (const join of joins) {
      for (const roleId of await marksToTakeOff(db, join)) removals.push({ kind: "remove_mark", guildId: join.guildId, userId: join.userId, roleId, attempts: 0, notBefore: 0 });
    }
    return removals;
  } catch (error) {
    logError("could not look up marks to remove; they stay", error, { guild: joins[0]!.guildId });
    return [];
  }
}
