/**
 * The demo's notes under `/invite stats`: one per row that needs a word,
 * printed only when that row is in the reply (pure).
 */
/** Keyed by how each row starts once the reply is printed: source names lose their bold, causes keep their italics. */
const NOTES: ReadonlyArray<readonly [row: string, note: string]> = [
  ["Vanity URL discord.gg/", "Vanity URL: joins through the server's vanity link, which no source can label."],
  ["*Invites with no source*", "Invites with no source: joins through invites nobody labelled (members' own, single-use ones); /invite recent shows their codes."],
  ["*Ambiguous*", "Ambiguous: joins through different invites too close together for the invite counts to tell apart, and Discord's member search did not settle them."],
];

/** The notes for the rows `/invite stats` shows (its text as the demo prints it: a title line, then a row per line). */
export function statsNotes(stats: string): string[] {
  const rows = stats.split("\n").slice(1);
  return NOTES.filter(([row]) => rows.some((line) => line.startsWith(row))).map(([, note]) => note);
}
