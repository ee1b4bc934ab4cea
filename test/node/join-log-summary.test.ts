import { describe, expect, it } from "vitest";
import { joinLogMode, SUMMARY_THRESHOLD, summaryLine, type SummarisedJoin } from "../../worker/join-log/summary";
import { english } from "../../worker/i18n/messages";

const through = (sourceName: string | null, n: number, extra: Partial<SummarisedJoin> = {}): SummarisedJoin[] =>
  Array.from({ length: n }, () => ({ method: "diff", sourceName, vanity: false, ...extra }));

describe("join log summary", () => {
  it.each([
    [1, "line"],
    [SUMMARY_THRESHOLD, "line"],
    [SUMMARY_THRESHOLD + 1, "summary"],
    [2_000, "summary"],
  ] as const)("%i joins in the last minute: %s", (joins, mode) => expect(joinLogMode(joins)).toBe(mode));

  it.each<[string, SummarisedJoin[], string]>([
    ["one join", through("Reddit", 1), "1 member joined in the last minute: 1 through Reddit."],
    [
      "the issue's example, most first",
      [...through(null, 4), ...through("Reddit", 31), ...through(null, 2, { method: "unresolved" })],
      "37 members joined in the last minute: 31 through Reddit, 4 through an unlabelled invite, 2 unresolved.",
    ],
    ["the vanity URL, and a name with markdown", [...through(null, 2, { vanity: true }), ...through("*Bold*", 2)], "4 members joined in the last minute: 2 through \\*Bold\\*, 2 through the vanity URL."],
    [
      "more ways than it names",
      ["A", "B", "C", "D", "E", "F", "G"].flatMap((name, i) => through(name, 10 - i)),
      "49 members joined in the last minute: 10 through A, 9 through B, 8 through C, 7 through D, 6 through E, 9 in 2 other ways.",
    ],
  ])("%s", (_label, joins, line) => expect(summaryLine(joins, english())).toBe(line));
});
