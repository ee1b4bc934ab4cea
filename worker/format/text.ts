/** Discord renders `<t:unix:R>` as "in 3 days" / "2 hours ago" in each reader's locale. */
export const relativeTime = (date: Date) => `<t:${Math.floor(date.getTime() / 1000)}:R>`;

/** Keeps names from breaking Markdown (a source called "**x**" shows as typed). */
export const escapeMarkdown = (text: string) => text.replace(/([\\*_~`|>#[\]()-])/g, "\\$1");

export const EMBED_DESCRIPTION_MAX = 4096;

/**
 * Joins lines up to Discord's embed description limit; what does not fit is
 * summarised as "…and N more" so nothing is silently cut.
 */
export function fitLines(lines: string[], max = EMBED_DESCRIPTION_MAX): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const more = `…and ${lines.length - i} more`;
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? more.length + 1 : 0;
    if (length + line.length + 1 + reserve > max) {
      out.push(more);
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join("\n");
}
