import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../worker/export/csv";

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""],
    ["+1+2", "'+1+2"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTab", "'\tTab"],
    ["\r=1", "\"'\r=1\""],
    ["a,b", "\"a,b\""],
    ["say \"hi\"", "\"say \"\"hi\"\"\""],
    ["line\nbreak", "\"line\nbreak\""],
    ["mid=formula", "mid=formula"],
    [null, ""],
    [42, "42"],
    [-3, "-3"],
  ] as const)("%j → %j", (value, expected) => expect(csvCell(value)).toBe(expected));

  it("ends rows with CRLF", () => expect(csvRow(["a", null, 1])).toBe("a,,1\r\n"));
});
