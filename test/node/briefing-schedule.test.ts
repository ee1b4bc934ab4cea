import { describe, expect, it } from "vitest";
import { briefingSlot, isoWeek } from "../../worker/briefing/schedule";

const at = (iso: string) => Date.parse(iso);

describe("isoWeek", () => {
  it.each([
    ["2026-11-23", "2026-W48"],
    ["2026-01-01", "2026-W01"],
    ["2027-01-01", "2026-W53"],
    ["2024-12-30", "2025-W01"],
    ["2021-01-03", "2020-W53"],
  ])("%s is in %s", (date, week) => {
    expect(isoWeek(at(`${date}T00:00:00Z`))).toBe(week);
  });
});

describe("briefingSlot", () => {
  const monday9 = { briefingDay: 1, briefingHour: 9 };
  it.each([
    // Monday 23 November 2026.
    ["the slot's hour in UTC", "2026-11-23T09:00:00Z", { ...monday9, timezone: "UTC" }, { due: true, week: "2026-W48", hoursLate: 0 }],
    ["an hour before it", "2026-11-23T08:59:00Z", { ...monday9, timezone: "UTC" }, { due: false }],
    ["a missed cron, 5 hours late", "2026-11-23T14:10:00Z", { ...monday9, timezone: "UTC" }, { due: true, week: "2026-W48", hoursLate: 5 }],
    ["a day late: too late", "2026-11-24T09:00:00Z", { ...monday9, timezone: "UTC" }, { due: false }],
    ["09:00 in Amsterdam is 08:00 UTC in winter", "2026-11-23T08:00:00Z", { ...monday9, timezone: "Europe/Amsterdam" }, { due: true, week: "2026-W48", hoursLate: 0 }],
    ["09:00 in Amsterdam is 07:00 UTC in summer", "2026-06-22T07:00:00Z", { ...monday9, timezone: "Europe/Amsterdam" }, { due: true, week: "2026-W26", hoursLate: 0 }],
    ["Monday 09:00 in Auckland is Sunday evening UTC", "2026-11-22T20:00:00Z", { ...monday9, timezone: "Pacific/Auckland" }, { due: true, week: "2026-W48", hoursLate: 0 }],
    ["Sunday 23:00 served after midnight keeps its week", "2026-11-30T01:00:00Z", { briefingDay: 7, briefingHour: 23, timezone: "UTC" }, { due: true, week: "2026-W48", hoursLate: 2 }],
    ["New York's Friday 17:00", "2026-11-27T22:00:00Z", { briefingDay: 5, briefingHour: 17, timezone: "America/New_York" }, { due: true, week: "2026-W48", hoursLate: 0 }],
  ])("%s", (_what, now, settings, expected) => {
    expect(briefingSlot(at(now), settings)).toEqual(expected);
  });
});
