import { describe, expect, it } from "vitest";
import { MAX_JOIN_ROWS, writeGroups } from "../../worker/guild-invites/join-rows";
import type { OutboxItem } from "../../worker/guild-invites/outbox";

const join = (userId: string, guildId = "g1"): OutboxItem => ({
  kind: "join", guildId, userId, joinedAt: 0, didRejoin: false, method: "diff", inviteCode: "c", invitationId: null, candidates: null, groupId: null,
});
const left = (userId: string): OutboxItem => ({ kind: "member_left", guildId: "g1", userId, leftAt: 0 });
const label = (item: OutboxItem) => (item.kind === "join" ? `${item.guildId === "g1" ? "" : `${item.guildId}:`}${item.userId}` : `left:${"userId" in item ? item.userId : ""}`);

describe("writeGroups", () => {
  it.each<[string, OutboxItem[], string[][]]>([
    ["nothing", [], []],
    ["a run of joins: one group", [join("a"), join("b"), join("c")], [["a", "b", "c"]]],
    ["another kind between joins: it stands alone, order kept", [join("a"), left("a"), join("b")], [["a"], ["left:a"], ["b"]]],
    ["a member twice: the second starts a new group", [join("a"), join("b"), join("a")], [["a", "b"], ["a"]]],
    ["another guild's join: a new group", [join("a"), join("b", "g2")], [["a"], ["g2:b"]]],
  ])("%s", (_label, items, expected) => {
    expect(writeGroups(items.map((item) => ({ item }))).map((group) => group.map(({ item }) => label(item)))).toEqual(expected);
  });

  it(`caps a group at ${MAX_JOIN_ROWS} joins`, () => {
    const items = Array.from({ length: MAX_JOIN_ROWS + 1 }, (_, i) => ({ item: join(`u${i}`) }));
    expect(writeGroups(items).map((group) => group.length)).toEqual([MAX_JOIN_ROWS, 1]);
  });
});
