import type { JoinSource } from "../guild-invites/exact-lookup";
import type { DiscordFailure, DiscordRest } from "./rest";

interface SearchAnswer {
  members?: Array<{ member: { user: { id: string }; joined_at: string }; source_invite_code: string | null }>;
  /** A 202 "index not yet available" (code 110000) says when to ask again. */
  retry_after?: number;
  code?: number;
}

export type SearchOutcome =
  | { kind: "answered"; sources: Map<string, JoinSource> }
  | { kind: "refused"; error: DiscordFailure }
  | { kind: "unavailable"; error: DiscordFailure | { kind: "index_not_ready"; retryAfterMs: number } };

const BATCH = 1000;

/**
 * Discord's member search for these users, in batches of 1,000, for the hourly
 * confirmation. A 202 "index not yet available" is waited out with its
 * retry_after while that fits in `maxWaitMs`; a 403 is a refusal (the diff
 * stands alone); anything else is unavailable, to be tried at the next run.
 */
export async function searchJoinSources(rest: DiscordRest, guildId: string, userIds: string[], maxWaitMs: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<SearchOutcome> {
  const sources = new Map<string, JoinSource>();
  let waited = 0;
  for (let i = 0; i < userIds.length; ) {
    const ids = userIds.slice(i, i + BATCH);
    const found = await rest.post<SearchAnswer>(`/guilds/${guildId}/members-search`, { limit: ids.length, and_query: { user_id: { or_query: ids } } });
    if (!found.ok) {
      const refused = found.error.kind === "discord" && found.error.status === 403;
      return refused ? { kind: "refused", error: found.error } : { kind: "unavailable", error: found.error };
    }
    if (!found.value.members) {
      const retryAfterMs = Math.ceil((found.value.retry_after ?? 1) * 1000);
      if (waited + retryAfterMs > maxWaitMs) return { kind: "unavailable", error: { kind: "index_not_ready", retryAfterMs } };
      await sleep(retryAfterMs);
      waited += retryAfterMs;
      continue;
    }
    for (const entry of found.value.members) {
      sources.set(entry.member.user.id, { code: entry.source_invite_code, joinedAt: Date.parse(entry.member.joined_at) });
    }
    i += BATCH;
  }
  return { kind: "answered", sources };
}
