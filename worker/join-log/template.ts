import { cutText, MESSAGE_LIMITS } from "../discord/limits";
import type { MessageKey, Messages } from "../i18n/messages";

/**
 * Join and leave message templates. Pure: checked when an admin saves one,
 * rendered when a join's verdict is known or a member leaves.
 */

export const PLACEHOLDERS = ["member", "inviter", "source", "code", "invites", "account_age"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

/** Each placeholder standing for itself: a default template comes out of the catalog with its `{name}`s. */
const TOKENS = Object.fromEntries(PLACEHOLDERS.map((p) => [p, `{${p}}`]));
/** The templates a server that set none uses, in the server's language. */
export const defaultJoinMessage = (m: Messages) => m.t("join_log.default_join", TOKENS);
export const defaultLeaveMessage = (m: Messages) => m.t("join_log.default_leave", TOKENS);

const CONTENT_MAX = MESSAGE_LIMITS.content;
const TOKEN = /\{([^{}\s]{0,40})\}/g;

export type TemplateProblem = { kind: "unknown_placeholder"; name: string } | { kind: "empty" } | { kind: "too_long"; max: number };

/** Every problem in a template, or none: an unknown `{name}` is refused rather than posted as typed. */
export function checkTemplate(template: string): TemplateProblem[] {
  if (template.trim() === "") return [{ kind: "empty" }];
  const problems: TemplateProblem[] = [];
  const unknown = new Set<string>();
  for (const [, name] of template.matchAll(TOKEN)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name!) && !unknown.has(name!)) {
      unknown.add(name!);
      problems.push({ kind: "unknown_placeholder", name: name! });
    }
  }
  // Values can be long (a source name), so the template alone gets half the limit.
  if (template.length > CONTENT_MAX / 2) problems.push({ kind: "too_long", max: CONTENT_MAX / 2 });
  return problems;
}

/** Fills a checked template; the result is cut to Discord's limit, between characters. */
export function renderTemplate(template: string, values: TemplateValues): string {
  const text = template.replace(TOKEN, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole));
  return cutText(text, CONTENT_MAX);
}

/** "3 years", "5 days", "2 hours": an account's age at a moment, in its largest whole unit. */
export function describeAge(ms: number, m: Messages): string {
  const units: Array<[MessageKey, number]> = [
    ["age.years", 365 * 86_400_000],
    ["age.months", 30 * 86_400_000],
    ["age.days", 86_400_000],
    ["age.hours", 3_600_000],
    ["age.minutes", 60_000],
  ];
  for (const [unit, size] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return m.t(unit, { count });
  }
  return m.t("age.less_than_a_minute");
}
