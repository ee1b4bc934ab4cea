/**
 * Discord's undocumented member search, POST /guilds/{guild_id}/members-search,
 * the one place Discord tells a bot which invite a member joined with. Body as
 * Discord's client sends it:
 *   { limit?: 1..1000 (default 25), sort?: 1 newest join first (default) | 2 oldest | 3/4 by account age,
 *     and_query?: Filters, or_query?: Filters }
 *   Filters: { user_id?: { or_query: string[] }, source_invite_code?: { or_query: string[] },
 *              join_source_type?: { or_query: number[] }, guild_joined_at?: { range: { gte?: ms, lte?: ms } } }
 * Unknown top-level keys are refused (400 50035) so a misspelt query cannot silently match everyone.
 * A guild whose behaviour says member_search "refuse" answers 403 code 20001, as Discord may for any bot;
 * "indexing" answers 202 (code 110000, retry_after) once, as a guild whose index Discord is still building.
 */
import * as errors from "../errors";
import { memberJson } from "../objects";
import { json, type Route } from "../router";
import type { FakeDiscordState, FakeMember } from "../state";

interface Filters {
  user_id?: { or_query?: string[] };
  source_invite_code?: { or_query?: string[] };
  join_source_type?: { or_query?: number[] };
  guild_joined_at?: { range?: { gte?: number; lte?: number } };
}
interface SearchBody {
  limit?: number;
  sort?: number;
  and_query?: Filters;
  or_query?: Filters;
}
const INDEXING_RETRY_AFTER_S = 0.5;
const KNOWN_KEYS = new Set(["limit", "sort", "and_query", "or_query", "after", "before"]);

/** Each filter present in `filters`, as a predicate. */
function predicates(filters: Filters): Array<(m: FakeMember) => boolean> {
  const list: Array<(m: FakeMember) => boolean> = [];
  if (filters.user_id?.or_query) list.push((m) => filters.user_id!.or_query!.includes(m.user_id));
  if (filters.source_invite_code?.or_query) {
    list.push((m) => m.source_invite_code !== null && filters.source_invite_code!.or_query!.includes(m.source_invite_code));
  }
  if (filters.join_source_type?.or_query) list.push((m) => filters.join_source_type!.or_query!.includes(m.join_source_type));
  const range = filters.guild_joined_at?.range;
  if (range) {
    list.push((m) => {
      const t = Date.parse(m.joined_at);
      return (range.gte === undefined || t >= range.gte) && (range.lte === undefined || t <= range.lte);
    });
  }
  return list;
}

const SORTS: Record<number, (a: FakeMember, b: FakeMember) => number> = {
  1: (a, b) => Date.parse(b.joined_at) - Date.parse(a.joined_at),
  2: (a, b) => Date.parse(a.joined_at) - Date.parse(b.joined_at),
  3: (a, b) => (BigInt(b.user_id) > BigInt(a.user_id) ? 1 : -1),
  4: (a, b) => (BigInt(a.user_id) > BigInt(b.user_id) ? 1 : -1),
};

export function membersSearchRoutes(state: FakeDiscordState): Route[] {
  return [
    {
      method: "POST",
      template: "/guilds/{guild_id}/members-search",
      auth: "bot",
      inSpec: false,
      major: "guild_id",
      handler: ({ params, body }) => {
        const guild = state.guild(params.guild_id!);
        const mode = state.behaviours.for(guild.id).member_search;
        if (mode === "refuse") throw errors.botsCannotUseEndpoint();
        if (mode === "indexing") {
          // Discord builds a guild's search index on first use and says when to come back.
          state.behaviours.patch(guild.id, { member_search: "answer" });
          return json({ message: "Index not yet available. Try again later", code: 110000, documents_indexed: 0, retry_after: INDEXING_RETRY_AFTER_S }, 202);
        }
        const input = (body ?? {}) as SearchBody;
        const unknown = Object.keys(input).filter((k) => !KNOWN_KEYS.has(k));
        const limit = input.limit ?? 25;
        const fields: Record<string, errors.FieldError[]> = {};
        for (const key of unknown) fields[key] = [{ code: "BASE_TYPE_INVALID", message: "Unknown field (use and_query / or_query)." }];
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) fields.limit = [errors.numberTooBig(1000)];
        if (input.sort !== undefined && !SORTS[input.sort]) fields.sort = [{ code: "BASE_TYPE_CHOICES", message: "Value must be one of (1, 2, 3, 4)." }];
        if (Object.keys(fields).length > 0) throw errors.invalidForm(fields);

        const all = predicates(input.and_query ?? {});
        const any = predicates(input.or_query ?? {});
        const matches = [...guild.members.values()]
          .filter((m) => all.every((p) => p(m)) && (any.length === 0 || any.some((p) => p(m))))
          .sort(SORTS[input.sort ?? 1]);
        const page = matches.slice(0, limit);
        return json({
          guild_id: guild.id,
          members: page.map((m) => ({
            member: memberJson(state, m),
            source_invite_code: m.source_invite_code,
            join_source_type: m.join_source_type,
            inviter_id: m.inviter_id,
          })),
          page_result_count: page.length,
          total_result_count: matches.length,
        });
      },
    },
  ];
}
