import { describe, expect, it } from "vitest";
import { matchLocale, pageLocale, serverLocale, userLocale } from "../../worker/i18n/resolve";

describe("who reads which language", () => {
  it.each([
    ["en-US", "en-US"],
    ["en-GB", "en-US"],
    ["de", "de"],
    ["de-AT", "de"],
    ["es-ES", "es-ES"],
    ["es", "es-ES"],
    ["es-419", "es-ES"],
    ["pt-BR", "pt-BR"],
    ["pt", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans", "zh-CN"],
    ["zh-TW", null],
    ["zh-Hant-HK", null],
    ["ko", "ko"],
    ["JA", "ja"],
    ["sv-SE", null],
    ["", null],
    [null, null],
  ])("the tag %j is %j", (tag, locale) => expect(matchLocale(tag)).toBe(locale));

  it.each([
    ["the override wins over Discord's guild_locale", "ja", "fr", "ja"],
    ["no override: the guild_locale", null, "fr", "fr"],
    ["a guild_locale matched by its language", null, "es-419", "es-ES"],
    ["a guild_locale not shipped: English", null, "sv-SE", "en-US"],
    ["nothing known: English", null, null, "en-US"],
    ["an override that is no shipped locale is ignored", "xx", "de", "de"],
  ])("the server's language: %s", (_, override, guildLocale, expected) => expect(serverLocale(override, guildLocale)).toBe(expected));

  it.each([
    ["their own language", "de", "fr", "de"],
    ["their language by its base", "pt-PT", "fr", "pt-BR"],
    ["a language not shipped: the server's", "sv-SE", "fr", "fr"],
    ["no locale sent: the server's", undefined, "ko", "ko"],
  ] as const)("a reply to one person: %s", (_, locale, server, expected) => expect(userLocale(locale, server)).toBe(expected));

  it.each([
    ["the first preference shipped", "de-DE,de;q=0.9,en;q=0.8", "fr", "de"],
    ["q-values, not order", "en;q=0.3, ja;q=0.9", "fr", "ja"],
    ["a preference not shipped is skipped", "sv,nb;q=0.9,es;q=0.5", "fr", "es-ES"],
    ["q=0 means not that one", "ru;q=0, pl;q=0.5", "fr", "pl"],
    ["a wildcard says nothing: the server's", "*", "tr", "tr"],
    ["no header: the server's", undefined, "tr", "tr"],
    ["Simplified Chinese by script", "zh-Hans-CN", "fr", "zh-CN"],
    ["English of any country", "en-GB,en;q=0.9", "fr", "en-US"],
    ["equal q keeps the header's order", "ko;q=0.5, ja;q=0.5", "fr", "ko"],
    ["a malformed q is dropped", "de;q=abc, fr", "en-US", "fr"],
  ] as const)("a page: %s", (_, header, server, expected) => expect(pageLocale(header, server)).toBe(expected));
});
