import { describe, expect, it } from "vitest";
import { deletionOrder } from "../../worker/privacy/deletion-order";
import { daysSetting, nameCutoff, purgeCutoff } from "../../worker/privacy/periods";

describe("daysSetting", () => {
  it.each([
    ["unset", undefined, 30],
    ["empty", "", 30],
    ["a number of days", "7", 7],
    ["zero: purge at the next run", "0", 0],
    ["with spaces", " 14 ", 14],
    ["negative", "-1", 30],
    ["a fraction", "1.5", 30],
    ["not a number", "soon", 30],
  ])("%s", (_label, configured, expected) => expect(daysSetting(configured, 30)).toBe(expected));

  it("purge and name cutoffs count back from now, with their defaults", () => {
    const now = new Date("2026-12-03T00:00:00Z");
    expect(purgeCutoff({ GUILD_PURGE_GRACE_DAYS: "" }, now).toISOString()).toBe("2026-11-03T00:00:00.000Z");
    expect(nameCutoff({ MEMBER_NAME_RETENTION_DAYS: "" }, now).toISOString()).toBe("2025-12-03T00:00:00.000Z");
    expect(purgeCutoff({ GUILD_PURGE_GRACE_DAYS: "1" }, now).toISOString()).toBe("2026-12-02T00:00:00.000Z");
  });
});

describe("deletionOrder", () => {
  it.each([
    ["no keys: alphabetical", ["b", "a"], [], ["a", "b"]],
    ["a child before its parent", ["invite_sources", "invite_joins"], [{ child: "invite_joins", parent: "invite_sources" }], ["invite_joins", "invite_sources"]],
    [
      "a chain",
      ["waves", "invitations", "joins"],
      [
        { child: "invitations", parent: "waves" },
        { child: "joins", parent: "invitations" },
      ],
      ["joins", "invitations", "waves"],
    ],
    ["a key to a table outside the set is ignored", ["a"], [{ child: "x", parent: "a" }], ["a"]],
    ["a table referencing itself", ["a"], [{ child: "a", parent: "a" }], ["a"]],
  ])("%s", (_label, tables, keys, expected) => expect(deletionOrder(tables, keys)).toEqual(expected));

  it("refuses a cycle", () => {
    expect(() => deletionOrder(["a", "b"], [{ child: "a", parent: "b" }, { child: "b", parent: "a" }])).toThrow(/cycle/);
  });
});
