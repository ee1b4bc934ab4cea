/**
 * CSV cells and rows (RFC 4180), safe to open in a spreadsheet: text that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) gets a leading apostrophe, which shows the text as typed.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: ReadonlyArray<string | number | boolean | null>) => `${cells.map(csvCell).join(",")}\r\n`;

export const EXPORT_COLUMNS = ["member", "joined_at", "left_at", "source", "code", "method", "inviter", "fake"] as const;
