import { describe, expect, it } from "vitest";
import { canonicalTimezone, describeSlot, readSettingsChanges } from "../../worker/settings/briefing-settings";
import { english } from "../../worker/i18n/messages";

describe("canonicalTimezone", () => {
  it.each([
    ["Europe/Amsterdam", "Europe/Amsterdam"],
    ["europe/amsterdam", "Europe/Amsterdam"],
    ["  America/New_York ", "America/New_York"],
    ["UTC", "UTC"],
    ["Asia/Tokyo", "Asia/Tokyo"],
    ["Mars/Olympus_Mons", null],
    ["", null],
    ["+02:00", null],
    ["Europe/Amsterdam\u202e", null],
    ["a".repeat(65), null],
    ["../../etc/passwd", null],
  ])("%j → %j", (input, expected) => {
    expect(canonicalTimezone(input)).toBe(expected);
  });
});

describe("readSettingsChanges", () => {
  const read = (entries: Array<[string, string | number | boolean]>) => readSettingsChanges(new Map(entries));

  it.each([
    [[], {}],
    [[["briefing_channel", "123456789012345678"]], { briefingChannelId: "123456789012345678" }],
    [[["briefing_day", 7], ["briefing_hour", 0]], { briefingDay: 7, briefingHour: 0 }],
    [[["timezone", "asia/tokyo"]], { timezone: "Asia/Tokyo" }],
    [[["member_search", false]], { memberSearch: false }],
  ] as Array<[Array<[string, string | number | boolean]>, object]>)("accepts %j", (entries, changes) => {
    expect(read(entries)).toEqual({ ok: true, changes });
  });

  it.each([
    [[["briefing_channel", "general"]], "briefing_channel"],
    [[["briefing_day", 0]], "briefing_day"],
    [[["briefing_day", 8]], "briefing_day"],
    [[["briefing_day", 1.5]], "briefing_day"],
    [[["briefing_hour", 24]], "briefing_hour"],
    [[["briefing_hour", -1]], "briefing_hour"],
    [[["timezone", "Nowhere/Town"]], "timezone"],
    [[["timezone", 3]], "timezone"],
    [[["member_search", "yes"]], "member_search"],
    // One bad option refuses the whole change: nothing is half-saved.
    [[["briefing_hour", 8], ["timezone", "CEST+2"]], "timezone"],
  ] as Array<[Array<[string, string | number | boolean]>, string]>)("refuses %j, naming %s", (entries, option) => {
    const result = read(entries);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.option).toBe(option);
  });
});

it("describes the slot in words", () => {
  expect(describeSlot({ briefingDay: 3, briefingHour: 7, timezone: "Europe/Paris" }, english())).toBe("Wednesday 07:00 (Europe/Paris)");
});
