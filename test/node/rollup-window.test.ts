import { describe, expect, it } from "vitest";
import { rollupSegments, type Segment } from "../../worker/store/rollup-window";

const t = (iso: string) => Date.parse(iso);
const seg = (grain: Segment["grain"], from: string, to: string | null): Segment =>
  grain === "day" ? { grain, from: t(from), to: to === null ? null : t(to) } : { grain, from: t(from), to: t(to!) };

describe("rollupSegments", () => {
  it.each<[string, string, string | null, Segment[]]>([
    [
      "a 30-day window to now: its first partial hour raw, the rest of that day hourly, whole days after",
      "2026-10-25T13:47:12.345Z",
      null,
      [seg("raw", "2026-10-25T13:47:12.345Z", "2026-10-25T14:00:00Z"), seg("hour", "2026-10-25T14:00:00Z", "2026-10-26T00:00:00Z"), seg("day", "2026-10-26T00:00:00Z", null)],
    ],
    ["a window starting on an hour: no raw piece", "2026-10-25T13:00:00Z", null, [seg("hour", "2026-10-25T13:00:00Z", "2026-10-26T00:00:00Z"), seg("day", "2026-10-26T00:00:00Z", null)]],
    ["a window starting at midnight: days alone", "2026-10-25T00:00:00Z", null, [seg("day", "2026-10-25T00:00:00Z", null)]],
    [
      "a closed week (last week's briefing): partial hours raw at both ends, hours of the partial days, whole days between",
      "2026-11-16T09:30:00Z",
      "2026-11-23T09:30:00Z",
      [
        seg("raw", "2026-11-16T09:30:00Z", "2026-11-16T10:00:00Z"),
        seg("hour", "2026-11-16T10:00:00Z", "2026-11-17T00:00:00Z"),
        seg("day", "2026-11-17T00:00:00Z", "2026-11-23T00:00:00Z"),
        seg("hour", "2026-11-23T00:00:00Z", "2026-11-23T09:00:00Z"),
        seg("raw", "2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"),
      ],
    ],
    [
      "within one day: hours between the partial hours, no day",
      "2026-11-16T09:30:00Z",
      "2026-11-16T15:10:00Z",
      [seg("raw", "2026-11-16T09:30:00Z", "2026-11-16T10:00:00Z"), seg("hour", "2026-11-16T10:00:00Z", "2026-11-16T15:00:00Z"), seg("raw", "2026-11-16T15:00:00Z", "2026-11-16T15:10:00Z")],
    ],
    [
      "across midnight, shorter than a day: one run of hours, no day",
      "2026-11-16T22:30:00Z",
      "2026-11-17T02:10:00Z",
      [seg("raw", "2026-11-16T22:30:00Z", "2026-11-16T23:00:00Z"), seg("hour", "2026-11-16T23:00:00Z", "2026-11-17T02:00:00Z"), seg("raw", "2026-11-17T02:00:00Z", "2026-11-17T02:10:00Z")],
    ],
    ["inside one hour: raw alone", "2026-11-16T09:05:00Z", "2026-11-16T09:55:00Z", [seg("raw", "2026-11-16T09:05:00Z", "2026-11-16T09:55:00Z")]],
    ["across one hour boundary: raw alone (two partial hours)", "2026-11-16T09:05:00Z", "2026-11-16T10:55:00Z", [seg("raw", "2026-11-16T09:05:00Z", "2026-11-16T10:55:00Z")]],
    ["empty", "2026-11-16T09:05:00Z", "2026-11-16T09:05:00Z", []],
  ])("%s", (_what, since, until, expected) => {
    expect(rollupSegments(t(since), until === null ? null : t(until))).toEqual(expected);
  });

  it.each([
    ["2026-01-01T00:00:00.001Z", "2026-03-01T23:59:59.999Z"],
    ["2026-05-31T23:59:00Z", "2026-06-01T00:01:00Z"],
    ["2026-11-01T07:00:00Z", "2026-11-30T07:00:00Z"],
  ])("tiles [%s, %s) exactly, each piece on its grain's boundaries, raw pieces under an hour", (since, until) => {
    const segments = rollupSegments(t(since), t(until));
    expect(segments[0]!.from).toBe(t(since));
    expect(segments.at(-1)!.to).toBe(t(until));
    for (const [i, s] of segments.entries()) {
      if (i > 0) expect(s.from).toBe(segments[i - 1]!.to);
      if (s.grain === "raw") expect(s.to - s.from).toBeLessThanOrEqual(3_600_000);
      if (s.grain === "hour") expect([s.from % 3_600_000, s.to % 3_600_000]).toEqual([0, 0]);
      if (s.grain === "day") expect([s.from % 86_400_000, (s.to ?? 0) % 86_400_000]).toEqual([0, 0]);
    }
  });
});
