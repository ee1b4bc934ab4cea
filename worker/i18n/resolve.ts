/**
 * Who reads which language, as pure rules: a reply to one person in their
 * Discord `locale`; a public post in the server's language; a web page in the
 * browser's `Accept-Language`, then the server's language.
 */
import { LOCALES, SOURCE_LOCALE, isLocale, type Locale } from "./locales";

/**
 * A language tag to a shipped locale: exact, then by its language alone
 * (`es` or `es-MX` → es-ES, `pt` → pt-BR, `zh`/`zh-Hans` → zh-CN, `en-GB` → en-US).
 * Traditional Chinese is not Simplified: `zh-TW`/`zh-Hant` match nothing.
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [language, ...rest] = lower.split(/[-_]/);
  if (language === "zh" && rest.some((part) => part === "hant" || part === "tw" || part === "hk" || part === "mo")) return null;
  return LOCALES.find((l) => l.toLowerCase().split("-")[0] === language) ?? null;
}

/** The server's language: the `/invite settings language:` override, else the last `guild_locale` Discord sent, else English. */
export function serverLocale(override: string | null | undefined, guildLocale: string | null | undefined): Locale {
  return (isLocale(override) ? override : null) ?? matchLocale(guildLocale) ?? SOURCE_LOCALE;
}

/** A reply to one person: their own Discord language, else the server's. */
export const userLocale = (locale: string | null | undefined, server: Locale): Locale => matchLocale(locale) ?? server;

/**
 * A page's language: the browser's preferences by q-value (ties keep their
 * order; `q=0` means "not this"), the first one shipped; else the server's.
 */
export function pageLocale(acceptLanguage: string | null | undefined, server: Locale): Locale {
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q\s*=(.*)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      // A q that is not a number drops the tag: a malformed preference says nothing.
      return { tag: tag.trim(), q: q === undefined ? 1 : /^\s*[0-9.]+\s*$/.test(q) ? Number(q) : NaN, index };
    })
    .filter((w) => w.tag !== "" && w.tag !== "*" && Number.isFinite(w.q) && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const w of wanted) {
    const match = matchLocale(w.tag);
    if (match) return match;
  }
  return server;
}
