import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../worker/export/csv";

describe("csvCell", () => {
  it.each([
    ["plain", '"plain"'],
    ["", '""'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ["+1+2", `"'+1+2"`],
    ["-2", `"'-2"`],
    ["@SUM(A1)", `"'@SUM(A1)"`],
    ["\tTab", `"'\tTab"`],
    ["\r=1", `"'\r'=1"`],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["mid=formula", '"mid=formula"'],
    ["a - b", '"a - b"'],
    // Split by a spreadsheet on another separator, or with the quotes ignored, no part may start a formula.
    ["x;=1+1;y", `"x;'=1+1;y"`],
    ["x,=1+1", `"x,'=1+1"`],
    ["x\t+1", `"x\t'+1"`],
    ["x|@SUM(A1)", `"x|'@SUM(A1)"`],
    ["x;-2;;@y", `"x;'-2;;'@y"`],
    ["line\n=1", `"line\n'=1"`],
    ['x;"=1"', `"x;""'=1"""`],
    ['"=1"', `"""'=1"""`],
    [null, ""],
    [42, "42"],
    [-3, "-3"],
    [true, "true"],
  ] as const)("%j → %j", (value, expected) => expect(csvCell(value)).toBe(expected));

  it("ends rows with CRLF", () => expect(csvRow(["a", null, 1])).toBe('"a",,1\r\n'));
});
