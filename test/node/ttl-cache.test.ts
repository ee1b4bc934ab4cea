import { describe, expect, it } from "vitest";
import { TtlCache } from "../../worker/ttl-cache";

type Step = ["set", string, number | null, number] | ["get", string, number, number | null | undefined];

describe("TtlCache", () => {
  it.each<[string, Step[]]>([
    ["a value is good until its ttl has passed", [["set", "a", 1, 0], ["get", "a", 999, 1], ["get", "a", 1000, undefined]]],
    ["an expired entry stays gone", [["set", "a", 1, 0], ["get", "a", 1500, undefined], ["get", "a", 0, undefined]]],
    ["a write renews the ttl", [["set", "a", 1, 0], ["set", "a", 2, 800], ["get", "a", 1500, 2]]],
    ["past the bound, the oldest write goes first", [["set", "a", 1, 0], ["set", "b", 2, 0], ["set", "c", 3, 0], ["set", "d", 4, 0], ["get", "a", 1, undefined], ["get", "b", 1, 2], ["get", "d", 1, 4]]],
    ["rewriting a key makes it the newest", [["set", "a", 1, 0], ["set", "b", 2, 0], ["set", "c", 3, 0], ["set", "a", 9, 0], ["set", "d", 4, 0], ["get", "a", 1, 9], ["get", "b", 1, undefined]]],
    ["a key never written is a miss", [["get", "x", 0, undefined]]],
    ["a stored null is a hit, not a miss", [["set", "a", null, 0], ["get", "a", 999, null]]],
  ])("%s", (_label, steps) => {
    const cache = new TtlCache<number | null>({ ttlMs: 1000, maxEntries: 3 });
    for (const step of steps) {
      if (step[0] === "set") cache.set(step[1], step[2], step[3]);
      else expect(cache.get(step[1], step[2])).toBe(step[3]);
    }
  });
});
