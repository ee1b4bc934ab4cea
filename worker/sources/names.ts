import { SOURCE_NAME_MAX } from "../commands/definitions";

export type SourceNameProblem = "empty" | "too_long" | "control_characters";

/**
 * A source name as typed, trimmed and with runs of spaces collapsed. Case is
 * kept for display; uniqueness is case-insensitive (the database index uses lower()).
 */
export function normalizeSourceName(input: string): { ok: true; name: string } | { ok: false; problem: SourceNameProblem } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input.replace(/[\t\n\r]/g, " "))) return { ok: false, problem: "control_characters" };
  const name = input.replace(/\s+/g, " ").trim();
  if (name.length === 0) return { ok: false, problem: "empty" };
  if (name.length > SOURCE_NAME_MAX) return { ok: false, problem: "too_long" };
  return { ok: true, name };
}

/** The key two names are compared by. */
export const sourceKey = (name: string) => name.toLowerCase();
