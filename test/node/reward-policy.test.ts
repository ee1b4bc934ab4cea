import { describe, expect, it } from "vitest";
import { rewardChanges } from "../../worker/rewards/policy";

describe("rewardChanges", () => {
  const rewards = [
    { roleId: "a", invites: 3 },
    { roleId: "b", invites: 10 },
  ];
  it.each([
    [2, [], false, { grant: [], revoke: [] }],
    [3, [], false, { grant: ["a"], revoke: [] }],
    [3, ["a"], false, { grant: [], revoke: [] }],
    [12, ["a"], false, { grant: ["b"], revoke: [] }],
    [2, ["a", "b"], false, { grant: [], revoke: [] }],
    [2, ["a", "b"], true, { grant: [], revoke: ["a", "b"] }],
    [5, ["a", "b", "x"], true, { grant: [], revoke: ["b"] }],
    [-4, [], true, { grant: [], revoke: [] }],
  ])("total %d holding %j (take back: %s)", (total, held, removeOnDrop, expected) =>
    expect(rewardChanges(total, rewards, held, removeOnDrop)).toEqual(expected),
  );
});
