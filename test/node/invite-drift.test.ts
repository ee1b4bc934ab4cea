import { describe, expect, it } from "vitest";
import { driftCount, inviteDrift, type KnownInvite, type ListedInvite } from "../../cron/invite-drift";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const known = (code: string, uses: number, expiresAt: number | null = null): KnownInvite => ({ code, uses, expiresAt });
const listed = (code: string, uses: number): ListedInvite => ({ code, uses });

describe("inviteDrift", () => {
  it.each<[string, KnownInvite[], ListedInvite[], Partial<ReturnType<typeof inviteDrift>>, number]>([
    ["no drift", [known("a", 3)], [listed("a", 3)], {}, 0],
    ["an invite the relay never announced", [], [listed("new", 0)], { missing: ["new"] }, 1],
    ["uses that moved unseen", [known("a", 3)], [listed("a", 5)], { uses: ["a"] }, 1],
    ["Discord never counts fewer uses than the table: not drift", [known("a", 5)], [listed("a", 3)], {}, 0],
    ["an invite deleted unseen", [known("gone", 1)], [], { vanished: ["gone"] }, 1],
    ["an invite that expired: repaired, not drift", [known("old", 1, NOW - 1)], [], { expired: ["old"] }, 0],
    ["all at once", [known("a", 1), known("b", 0)], [listed("a", 2), listed("c", 0)], { missing: ["c"], uses: ["a"], vanished: ["b"] }, 3],
  ])("%s", (_what, table, discord, expected, count) => {
    const drift = inviteDrift(table, discord, NOW);
    expect(drift).toEqual({ missing: [], uses: [], vanished: [], expired: [], ...expected });
    expect(driftCount(drift)).toBe(count);
  });
});
