/**
 * Messages in a language: ICU MessageFormat through intl-messageformat, so
 * plurals, numbers and dates follow `Intl` for the message's locale. Each
 * message is parsed once per (locale, key) and its formatter kept.
 */
import { IntlMessageFormat } from "intl-messageformat";
import { CATALOGS, SOURCE_CATALOG, type Catalog, type MessageKey } from "./catalogs";
import { SOURCE_LOCALE, type Locale } from "./locales";

export type { MessageKey } from "./catalogs";
export type MessageValues = Record<string, string | number | Date>;

export interface Messages {
  /** The language tag the messages are in (a shipped locale, or a test's pseudo-locale). */
  readonly locale: string;
  t(key: MessageKey, values?: MessageValues): string;
  /** A number as this language writes it ("1,234", "1.234", "1 234"). */
  number(n: number): string;
}

const formatters = new Map<string, IntlMessageFormat>();

/** One ICU message, parsed. `<@id>`, `<#id>` and `<t:…>` are Discord's, not ICU tags: tags are off. */
export const parseMessage = (message: string, locale: string) => new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });

const byLocale = new Map<string, Messages>();

/** Messages read from `catalog` for `locale`, falling back key by key to English. */
export function catalogMessages(locale: string, catalog: Catalog): Messages {
  const known = byLocale.get(locale);
  if (known) return known;
  const numbers = new Intl.NumberFormat(locale);
  const formatter = (key: MessageKey) => {
    const id = `${locale}\u0000${key}`;
    let format = formatters.get(id);
    if (!format) {
      const own = catalog[key];
      format = parseMessage(own ?? SOURCE_CATALOG[key], own === undefined ? SOURCE_LOCALE : locale);
      formatters.set(id, format);
    }
    return format;
  };
  const made: Messages = {
    locale,
    t: (key, values) => String(formatter(key).format(values)),
    number: (n) => numbers.format(n),
  };
  byLocale.set(locale, made);
  return made;
}

/** A shipped locale's messages; one without a catalog yet is English throughout (its numbers too, and a page's `lang`). */
export function messages(locale: Locale): Messages {
  const catalog = CATALOGS[locale];
  return catalog ? catalogMessages(locale, catalog) : catalogMessages(SOURCE_LOCALE, SOURCE_CATALOG);
}

export const english = (): Messages => messages(SOURCE_LOCALE);
