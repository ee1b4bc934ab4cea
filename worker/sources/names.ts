import { SOURCE_NAME_MAX } from "../commands/definitions";

export type SourceNameProblem = "empty" | "too_long" | "control_characters" | "broken_text";

/**
 * C0 and C1 controls (tab, line feed and carriage return are whitespace and
 * collapse to a space), and the bidi embeddings, overrides and isolates that
 * can make a name display as something else (U+202E turns "gnp.exe" around).
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** In a `u` regex a surrogate half only matches when it is unpaired. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why this text can never be (part of) a source name, or null. Emptiness and length are the caller's. */
export function forbiddenInName(input: string): "control_characters" | "broken_text" | null {
  if (LONE_SURROGATE.test(input)) return "broken_text";
  return FORBIDDEN.test(input) ? "control_characters" : null;
}

/**
 * A source name as typed, for display: NFC, runs of whitespace collapsed,
 * trimmed. The first spelling is kept; whether two names are the same source
 * is decided by `sourceNameKey` alone.
 */
export function normalizeSourceName(input: string): { ok: true; name: string } | { ok: false; problem: SourceNameProblem } {
  const forbidden = forbiddenInName(input);
  if (forbidden) return { ok: false, problem: forbidden };
  const name = input.normalize("NFC").replace(/\s+/gu, " ").trim();
  if (sourceNameKey(name) === "") return { ok: false, problem: "empty" };
  if (name.length > SOURCE_NAME_MAX) return { ok: false, problem: "too_long" };
  return { ok: true, name };
}

/** Zero-width characters, bidi marks, variation selectors, soft hyphens, fillers: invisible, so never part of identity. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The one rule deciding that two names are one source; stored as
 * invite_sources.name_key (unique per guild) and used by every lookup.
 *
 * NFKC (full-width "Ｒｅｄｄｉｔ" is "reddit", "Café" in NFC or NFD is one),
 * invisible characters removed, then full case folding. JavaScript has no
 * case fold, so it is lower(upper(lower(s))): the upper step expands "ß" to
 * "SS" (so "Straße" = "STRASSE", as in Unicode's full folding), the first
 * lower step brings "ẞ" to "ß" first, and final sigma is folded to σ as
 * CaseFolding.txt does ("ΟΔΟΣ" = "οδος" = "οδοσ", and a typed prefix "οδοσ"
 * still finds "οδοσα"). Folding is the default, not the Turkic one: "İ"
 * folds to "i̇" (i + combining dot), so "İSTANBUL" is one source with
 * "i̇stanbul" but not with "ISTANBUL". Whitespace is collapsed last.
 */
export function sourceNameKey(name: string): string {
  const visible = name.normalize("NFKC").replace(INVISIBLE, "");
  const folded = visible.toLowerCase().toUpperCase().toLowerCase().replace(/ς/gu, "σ");
  return folded.normalize("NFKC").replace(/\s+/gu, " ").trim();
}
