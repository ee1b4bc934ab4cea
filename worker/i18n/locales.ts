/**
 * The languages the bot ships, as Discord names them (its `locale` values):
 * the one list every other part of the bot reads.
 */
export const LOCALES = ["en-US", "de", "fr", "es-ES", "pt-BR", "ru", "pl", "tr", "ja", "ko", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

/** The source language: every key exists in it, and a missing catalog or key falls back to it. */
export const SOURCE_LOCALE: Locale = "en-US";

/** Each language's own name, for `/invite settings language:` choices and the settings reply. */
export const LOCALE_NAMES: Record<Locale, string> = {
  "en-US": "English",
  de: "Deutsch",
  fr: "Français",
  "es-ES": "Español",
  "pt-BR": "Português do Brasil",
  ru: "Русский",
  pl: "Polski",
  tr: "Türkçe",
  ja: "日本語",
  ko: "한국어",
  "zh-CN": "中文（简体）",
};

export const isLocale = (value: unknown): value is Locale => typeof value === "string" && (LOCALES as readonly string[]).includes(value);
