import { describe, expect, it } from "vitest";
import { english } from "../../worker/i18n/messages";
import { countWindow, sinceInSeason, windowLabel, type SeasonStart } from "../../worker/inviters/season-window";

const DAY = 86_400_000;
const NOW = new Date("2026-06-30T12:00:00Z");
const at = (iso: string) => new Date(iso);
const SEASONS: SeasonStart[] = [
  { number: 2, name: "Summer", startedAt: at("2026-06-01T00:00:00Z") },
  { number: 1, name: "Spring", startedAt: at("2026-03-01T00:00:00Z") },
];

describe("countWindow", () => {
  it.each([
    ["no season, no days: all time", [], null, null, { since: null, until: null, key: 0, label: "all time" }],
    ["no season, 7 days", [], null, 7, { since: new Date(NOW.getTime() - 7 * DAY), until: null, key: 7, label: "last 7 days" }],
    ["the current season by default", SEASONS, null, null, { since: at("2026-06-01T00:00:00Z"), until: null, key: 0, label: "season 2 “Summer”" }],
    ["the current season asked by number", SEASONS, 2, null, { since: at("2026-06-01T00:00:00Z"), until: null, key: 0, label: "season 2 “Summer”" }],
    ["days narrow the current season", SEASONS, null, 7, { since: new Date(NOW.getTime() - 7 * DAY), until: null, key: 7, label: "season 2 “Summer”, last 7 days" }],
    ["days reaching before the season stop at its start", SEASONS, null, 90, { since: at("2026-06-01T00:00:00Z"), until: null, key: 90, label: "season 2 “Summer”, last 90 days" }],
    ["a past season ends where the next begins", SEASONS, 1, null, { since: at("2026-03-01T00:00:00Z"), until: at("2026-06-01T00:00:00Z"), key: -1, label: "season 1 “Spring”" }],
  ])("%s", (_, seasons, season, days, expected) => {
    const result = countWindow(seasons, { season, days }, NOW);
    expect(result.ok && { since: result.window.since, until: result.window.until, key: result.window.key, label: windowLabel(result.window, english()) }).toEqual(expected);
  });

  it.each([
    ["an unknown season", SEASONS, 3, null, { kind: "unknown_season", number: 3 }],
    ["a season before any", [], 1, null, { kind: "unknown_season", number: 1 }],
    ["days with a past season", SEASONS, 1, 7, { kind: "days_in_past_season" }],
  ])("refuses %s", (_, seasons, season, days, problem) => expect(countWindow(seasons, { season, days }, NOW)).toEqual({ ok: false, problem }));
});

describe("sinceInSeason (the briefing's top inviters)", () => {
  it.each([
    ["no season: the week's start", [], "2026-06-24T00:00:00Z", "2026-06-24T00:00:00Z"],
    ["a season begun before the week: the week's start", SEASONS, "2026-06-24T00:00:00Z", "2026-06-24T00:00:00Z"],
    ["a season begun within the week: its start", SEASONS, "2026-05-28T00:00:00Z", "2026-06-01T00:00:00Z"],
  ])("%s", (_, seasons, from, expected) => expect(sinceInSeason(at(from), seasons)).toEqual(at(expected)));
});
