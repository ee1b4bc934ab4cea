// Elimination inside an unresolved group: when every member but one has been
// resolved (exactly or by hand), the last one's code is what remains of the
// group's candidate multiset, provided that remainder names a single code.
import type { UnresolvedGroup } from "./types";

/**
 * `resolved` maps member event ids to the code they were resolved to (other
 * entries are ignored). Returns the last member and its code, or null when more
 * than one member is open, the remainder is ambiguous, or a resolution contradicts
 * the group (a code not left in its multiset), which voids the group's premise.
 */
export function resolveByElimination(
  group: UnresolvedGroup,
  resolved: ReadonlyMap<string, string>,
): { eventId: string; code: string } | null {
  if (!group.eliminable) return null;
  const open = group.members.filter((m) => !resolved.has(m));
  if (open.length !== 1) return null;
  const remaining = [...group.candidates];
  for (const member of group.members) {
    const code = resolved.get(member);
    if (code === undefined) continue;
    const at = remaining.indexOf(code);
    if (at < 0) return null;
    remaining.splice(at, 1);
  }
  const codes = new Set(remaining);
  if (codes.size !== 1) return null;
  return { eventId: open[0] as string, code: remaining[0] as string };
}
