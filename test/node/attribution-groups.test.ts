import { describe, expect, it } from "vitest";
import { resolveByElimination } from "../../worker/attribution/groups";
import { naiveAttribute } from "../../worker/attribution/naive";
import { toFreshInvite } from "../../worker/attribution/normalise";
import type { UnresolvedGroup } from "../../worker/attribution/types";

const group = (candidates: string[], members = candidates.map((_, i) => `e${i}`), eliminable = true): UnresolvedGroup => ({
  groupId: "grp:e0",
  members,
  candidates,
  eliminable,
});

describe("resolveByElimination", () => {
  it.each<[string, UnresolvedGroup, Record<string, string>, { eventId: string; code: string } | null]>([
    ["two joins, one resolved -> the other code", group(["A", "B"]), { e0: "A" }, { eventId: "e1", code: "B" }],
    ["resolved by hand or exactly, either member", group(["A", "B"]), { e1: "A" }, { eventId: "e0", code: "B" }],
    ["multiset: A,A,B with A and B resolved -> A", group(["A", "A", "B"]), { e0: "A", e2: "B" }, { eventId: "e1", code: "A" }],
    ["multiset: A,A,B with A and A resolved -> B", group(["A", "A", "B"]), { e0: "A", e1: "A" }, { eventId: "e2", code: "B" }],
    ["two members still open -> null", group(["A", "A", "B"]), { e0: "A" }, null],
    ["nothing open -> null", group(["A", "B"]), { e0: "A", e1: "B" }, null],
    ["a resolution outside the multiset voids the group -> null", group(["A", "B"]), { e0: "C" }, null],
    ["surplus candidates, remainder on one code -> that code", group(["A", "A", "B"], ["e0", "e1"]), { e0: "B" }, { eventId: "e1", code: "A" }],
    ["surplus candidates, remainder split -> null", group(["A", "B", "C"], ["e0", "e1"]), { e0: "A" }, null],
    ["not eliminable (increments missing) -> null", group(["A"], ["e0", "e1"], false), { e0: "B" }, null],
    ["resolutions of other joins are ignored", group(["A", "B"]), { e0: "A", other: "B" }, { eventId: "e1", code: "B" }],
  ])("%s", (_name, g, resolved, expected) => {
    expect(resolveByElimination(g, new Map(Object.entries(resolved)))).toEqual(expected);
  });
});

describe("naiveAttribute", () => {
  it.each<[string, Array<[string, number]>, Array<[string, number]>, string | null]>([
    ["the code whose count rose", [["A", 1], ["B", 2]], [["A", 1], ["B", 3]], "B"],
    ["the first of several risen codes", [["A", 1], ["B", 2]], [["A", 2], ["B", 3]], "A"],
    ["nothing rose -> unknown", [["A", 1]], [["A", 1]], null],
    ["a new code with uses counts from 0", [["A", 1]], [["A", 1], ["N", 1]], "N"],
    ["a vanished single-use invite is invisible to it", [["A", 1], ["S", 0]], [["A", 1]], null],
  ])("%s", (_name, before, after, expected) => {
    const list = (xs: Array<[string, number]>) => xs.map(([code, uses]) => ({ code, uses }));
    expect(naiveAttribute(list(before), list(after))).toBe(expected);
  });
});

describe("toFreshInvite", () => {
  it("normalises GET /guilds/{id}/invites entries", () => {
    expect(
      toFreshInvite(
        {
          code: "abc",
          uses: 3,
          max_uses: 10,
          max_age: 3600,
          created_at: "2024-01-01T00:00:00.000Z",
          expires_at: "2024-01-01T01:00:00.000Z",
          inviter: { id: "9" },
          channel: { id: "5" },
        },
        0,
      ),
    ).toEqual({
      code: "abc",
      uses: 3,
      maxUses: 10,
      maxAge: 3600,
      createdAt: Date.parse("2024-01-01T00:00:00.000Z"),
      expiresAt: Date.parse("2024-01-01T01:00:00.000Z"),
      inviterId: "9",
      channelId: "5",
    });
  });

  it("derives expires_at for INVITE_CREATE payloads and defaults missing fields", () => {
    expect(toFreshInvite({ code: "x", max_age: 60, created_at: "2024-01-01T00:00:00.000Z", channel_id: "5" }, 0)).toEqual({
      code: "x",
      uses: 0,
      maxUses: 0,
      maxAge: 60,
      createdAt: Date.parse("2024-01-01T00:00:00.000Z"),
      expiresAt: Date.parse("2024-01-01T00:01:00.000Z"),
      channelId: "5",
    });
    expect(toFreshInvite({ code: "y", expires_at: null }, 123)).toMatchObject({ createdAt: 123, expiresAt: null });
  });
});
