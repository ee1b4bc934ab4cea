/**
 * CSV cells and rows (RFC 4180), safe to open in a spreadsheet. Every text
 * cell is quoted. A spreadsheet may split on another separator than the comma
 * (`;` in many locales, a tab, `|`) or ignore the quotes, so a formula start
 * (= + - @, a tab or a carriage return) at the start of the text or after any
 * such separator or a line break (quotes aside) gets an apostrophe, which shows it as typed:
 * `x;=1+1` is written `"x;'=1+1"`.
 */

// A quote may sit between the separator and the formula: a spreadsheet splitting on `;` takes `"=1"` as a quoted cell.
const FORMULA_START = /(?<=(?:^|[,;\t|\r\n])"*)(?=[=+\-@\t\r])/g;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  return `"${value.replace(FORMULA_START, "'").replaceAll('"', '""')}"`;
}

export const csvRow = (cells: ReadonlyArray<string | number | boolean | null>) => `${cells.map(csvCell).join(",")}\r\n`;

export const EXPORT_COLUMNS = ["member", "member_name", "joined_at", "left_at", "source", "code", "method", "inviter", "inviter_name", "fake"] as const;
