// Marks: roles Discord gives whoever accepts an invite (`role_ids`). A role is a mark
// for the codes whose invites grant it; a member who has it when joining came through
// one of them, whatever else happened in the same second. Pure: the caller supplies
// the invite cache, the member's roles and the time.
import type { CachedInvite, TimelineJoin } from "../attribution";
import type { Timeline } from "../attribution";

/**
 * The codes a member's roles say they joined through: for each role that some cached
 * invite grants (a mark), the codes granting it; a member with several marks joined
 * through a code granting them all. Null when no role is a mark, or when the marks
 * contradict each other (no code grants them all: one was given by hand).
 */
export function markedCodes(roles: readonly string[], cache: readonly CachedInvite[]): string[] | null {
  let codes: Set<string> | null = null;
  for (const role of new Set(roles)) {
    const granting = cache.filter((invite) => invite.roles?.includes(role)).map((invite) => invite.code);
    if (granting.length === 0) continue;
    codes = codes === null ? new Set(granting) : new Set(granting.filter((code) => codes!.has(code)));
  }
  return codes === null || codes.size === 0 ? null : [...codes].sort();
}

/** What a GUILD_MEMBER_ADD or GUILD_MEMBER_UPDATE says of a member. */
export interface MemberRoles {
  userId: string;
  /** Discord's `joined_at` of the membership the event is about. */
  joinedAt: number;
  roles: readonly string[];
}

/**
 * A GUILD_MEMBER_UPDATE may bring the marks of a join the add carried without them.
 * It counts only for a join the timeline still holds (the same member and the same
 * `joined_at`: a member who joined long ago, or before leaving and coming back, gains
 * nothing here) and whose verdict may still change (before `freezeMs`): a role given
 * later is a role, not a join. Returns the timeline unchanged when the update marks nothing new.
 */
export function readMarks(timeline: Timeline, update: MemberRoles, now: number, freezeMs: number): Timeline {
  const index = timeline.joins.findIndex((j) => j.userId === update.userId && j.joinedAt === update.joinedAt);
  const join = index < 0 ? undefined : timeline.joins[index]!;
  if (!join || join.pinned || now >= join.receivedAt + freezeMs) return timeline;
  const codes = markedCodes(update.roles, timeline.cache);
  const markCodes = codes === null ? join.markCodes : narrow(join.markCodes, codes);
  if (markCodes === join.markCodes || markCodes?.join() === join.markCodes?.join()) return timeline;
  const joins: TimelineJoin[] = [...timeline.joins];
  joins[index] = { ...join, markCodes };
  return { ...timeline, joins };
}

/** Marks already read, and new ones: both hold, unless they contradict (then the first stands). */
function narrow(before: readonly string[] | undefined, codes: string[]): string[] | undefined {
  if (!before) return codes;
  const both = before.filter((code) => codes.includes(code));
  return both.length > 0 ? both : [...before];
}
