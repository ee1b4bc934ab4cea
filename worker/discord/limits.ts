import type { APIEmbed } from "discord-api-types/payloads/v10";

/**
 * Discord's limits on a message, in one place: Discord refuses a whole
 * message that breaks any of them, so everything the bot sends is fitted here
 * first. Lengths are counted in UTF-16 units, never fewer than Discord's count.
 */
export const MESSAGE_LIMITS = {
  content: 2_000,
  embeds: 10,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  author: 256,
  /** Titles, descriptions, field names and values, footers and authors of all of a message's embeds together. */
  embedsTotal: 6_000,
} as const;

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * `text` in at most `max` units, ending in "…" when cut. It is cut between
 * graphemes, so an emoji (with its skin tone or joined family) is kept whole
 * or left out, never split into a lone surrogate.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room < 0) return "";
  // Only the kept part and the code point after it are segmented (a whole huge text takes seconds):
  // whether a grapheme ends at a position depends on what comes before it and that one code point.
  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, room + 2))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

/** A message's text content, within Discord's limit. */
export const fitContent = (content: string) => cutText(content, MESSAGE_LIMITS.content);

/**
 * A message's embeds within Discord's limits: each text within its own limit
 * and all of them within the shared total, taken in reading order (title,
 * author, footer, description, then fields), so what comes last is cut first.
 * Discord refuses empty texts: a field that no longer fits is left out, and so
 * are the embeds after the total is spent.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  let budget: number = MESSAGE_LIMITS.embedsTotal;
  const take = (text: string, max: number) => {
    const kept = cutText(text, Math.min(max, budget));
    budget -= kept.length;
    return kept;
  };
  const fitted: APIEmbed[] = [];
  for (const embed of embeds.slice(0, MESSAGE_LIMITS.embeds)) {
    if (budget <= 0) break;
    const fit: APIEmbed = { ...embed };
    if (embed.title !== undefined) fit.title = take(embed.title, MESSAGE_LIMITS.title);
    if (embed.author) fit.author = { ...embed.author, name: take(embed.author.name, MESSAGE_LIMITS.author) };
    if (embed.footer) fit.footer = { ...embed.footer, text: take(embed.footer.text, MESSAGE_LIMITS.footer) };
    if (embed.description !== undefined) fit.description = take(embed.description, MESSAGE_LIMITS.description);
    if (embed.fields) {
      fit.fields = [];
      for (const field of embed.fields.slice(0, MESSAGE_LIMITS.fields)) {
        const name = cutText(field.name, Math.min(MESSAGE_LIMITS.fieldName, budget));
        const value = cutText(field.value, Math.min(MESSAGE_LIMITS.fieldValue, budget - name.length));
        if (name === "" || value === "") break;
        budget -= name.length + value.length;
        fit.fields.push({ ...field, name, value });
      }
    }
    fitted.push(fit);
  }
  return fitted;
}
