import type { DiscordFailure, DiscordRest } from "../discord/rest";

/** What Discord's member search says about how one member joined. */
export interface JoinSource {
  code: string | null;
  joinedAt: number;
}

interface SearchResult {
  members: Array<{ member: { user: { id: string }; joined_at: string }; source_invite_code: string | null }>;
}

/** Discord returns at most this many members per search. */
const SEARCH_LIMIT = 1000;

/**
 * Asks Discord's undocumented `POST /guilds/{id}/members-search` which invite
 * each of these members joined with. It is the one exact source of truth, but
 * undocumented: a refusal is a typed failure, and the diff's verdicts stand.
 */
export async function lookupJoinSources(
  rest: DiscordRest,
  guildId: string,
  userIds: string[],
): Promise<{ ok: true; sources: Map<string, JoinSource> } | { ok: false; error: DiscordFailure }> {
  const sources = new Map<string, JoinSource>();
  for (let i = 0; i < userIds.length; i += SEARCH_LIMIT) {
    const ids = userIds.slice(i, i + SEARCH_LIMIT);
    const found = await rest.post<SearchResult>(`/guilds/${guildId}/members-search`, {
      limit: ids.length,
      and_query: { user_id: { or_query: ids } },
    });
    if (!found.ok) return found;
    for (const entry of found.value.members ?? []) {
      sources.set(entry.member.user.id, { code: entry.source_invite_code, joinedAt: Date.parse(entry.member.joined_at) });
    }
  }
  return { ok: true, sources };
}

/**
 * The code a join came through, if the search describes this very join: a
 * member who has since left and rejoined reports their latest join instead.
 */
export function exactCode(source: JoinSource | undefined, joinedAt: number): string | null {
  if (!source || source.code === null) return null;
  return Math.abs(source.joinedAt - joinedAt) <= 1_000 ? source.code : null;
}
