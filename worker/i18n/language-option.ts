/**
 * `/invite settings language:`: the language of the server's public posts, one
 * of the shipped locales or `default` (follow the server's own language).
 */
import { fail, ok, type Outcome } from "../commands/failures";
import { stringOption, type SubcommandCall } from "../commands/options";
import { isLocale, LOCALE_NAMES, type Locale } from "./locales";
import type { Messages } from "./messages";
import { serverLocale } from "./resolve";

export const LANGUAGE_OPTION = "language";
/** The choice that clears the override. */
export const SERVER_DEFAULT = "default";

/** The override to save (null clears it), or undefined when the option was left out. */
export function readLanguageOption(call: SubcommandCall): Outcome<Locale | null | undefined> {
  if (!call.options.has(LANGUAGE_OPTION)) return ok(undefined);
  const value = stringOption(call, LANGUAGE_OPTION);
  if (!value.ok) return value;
  if (value.value === SERVER_DEFAULT) return ok(null);
  return isLocale(value.value) ? ok(value.value) : fail({ kind: "invalid_option", option: LANGUAGE_OPTION, expected: { key: "expected.language" } });
}

/** The settings reply's line: the language public posts are in, and whether it was chosen or followed. */
export function languageLine(override: Locale | null, guildLocale: string | null, m: Messages): string {
  const language = LOCALE_NAMES[serverLocale(override, guildLocale)];
  return override === null ? m.t("settings.language_default", { language }) : m.t("settings.language", { language });
}
