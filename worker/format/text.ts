import { MESSAGE_LIMITS } from "../discord/limits";
import type { Messages } from "../i18n/messages";

/** Discord renders `<t:unix:R>` as "in 3 days" / "2 hours ago" in each reader's locale. */
export const relativeTime = (date: Date) => `<t:${Math.floor(date.getTime() / 1000)}:R>`;

/** A zero-width space after "@" keeps "@everyone", "<@id>" and "<@&role>" as text, even where mentions would parse. */
const defuseMentions = (text: string) => text.replaceAll("@", "@\u200b");

/** Keeps names from breaking Markdown or mentioning anyone (a source called "**x**" shows as typed). */
export const escapeMarkdown = (text: string) => defuseMentions(text.replace(/([\\*_~`|>#[\]()-])/g, "\\$1"));

/** Outside text shown as `code`: backslashes do not escape there, so a backtick becomes a look-alike. */
export const inlineCode = (text: string) => `\`${defuseMentions(text.replaceAll("`", "ˋ"))}\``;

/**
 * Joins lines up to Discord's embed description limit; what does not fit is
 * summarised as "…and N more" so nothing is silently cut.
 */
export function fitLines(lines: string[], max: number = MESSAGE_LIMITS.description, m: Messages): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const more = m.t("list.and_more", { count: lines.length - i });
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

/** A count with its noun in agreement: "1 row", "0 rows", "2 refetches" (`plural` for nouns not made with an "s"). */
export const counted = (n: number, noun: string, plural = `${noun}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
