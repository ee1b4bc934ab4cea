import { describe, expect, it } from "vitest";
import { closestName, editDistance, unknownOption } from "../../scripts/lib/unknown-option";

const KNOWN = ["guild", "policy", "count", "min-days", "expires-days", "target", "max", "every-days", "json", "help"];

describe("unknown options", () => {
  it.each<[string[], { option: string; suggestion: string | null } | null]>([
    [["mint", "--guild", "1", "--policy", "never"], null],
    [["mint", "--polcy", "never"], { option: "--polcy", suggestion: "policy" }],
    [["mint", "--polcy=never"], { option: "--polcy", suggestion: "policy" }],
    [["stats", "--jsno"], { option: "--jsno", suggestion: "json" }],
    [["preview", "--min_days", "3"], { option: "--min_days", suggestion: "min-days" }],
    [["preview", "--Guild", "1"], { option: "--Guild", suggestion: "guild" }],
    [["stats", "--nope"], { option: "--nope", suggestion: null }],
    [["stats", "-x"], { option: "-x", suggestion: null }],
    [["stats", "--guild", "1", "--", "--polcy"], null],
  ])("%j → %j", (args, expected) => {
    expect(unknownOption(args, KNOWN)).toEqual(expected);
  });

  it.each([
    ["polcy", "policy"],
    ["gild", "guild"],
    ["every-day", "every-days"],
    ["expire-days", "expires-days"],
    ["cuont", "count"],
    ["nope", null],
    ["m", null],
    ["verbose", null],
  ])("%s is closest to %s", (typo, expected) => {
    expect(closestName(typo, KNOWN)).toBe(expected);
  });

  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["policy", "polcy", 1],
    ["json", "jsno", 1],
    ["kitten", "sitting", 3],
  ])("edit distance %s → %s is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
