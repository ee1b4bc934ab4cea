import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../worker/i18n/catalogs";
import { isLocale, LOCALES } from "../../worker/i18n/locales";
import { catalogMessages, english as englishMessages, messages } from "../../worker/i18n/messages";
import { pseudoCatalog } from "../worker/support/pseudo-locale";

/** Every catalog in locales/ against en-US: same keys, ICU that parses, the same placeholders of the same kinds. */
const DIR = join(import.meta.dirname, "../../locales");
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8")) as Record<string, unknown>;
const english = read("en-US.json") as Record<string, string>;
const catalogFiles = readdirSync(DIR).filter((f) => f.endsWith(".json"));

/** A message's arguments, each with its kind (plain, number, plural…) and, for plurals and selects, the cases. */
export function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.literal || e.type === TYPE.pound || e.type === TYPE.tag) continue;
      found.add(`${e.value}:${TYPE[e.type]}`);
      if (e.type === TYPE.select) found.add(`${e.value}:cases(${Object.keys(e.options).sort().join(",")})`);
      if (e.type === TYPE.plural || e.type === TYPE.select) for (const option of Object.values(e.options)) walk(option.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...found].sort();
}

describe("message catalogs", () => {
  it("locales/ holds en-US and only shipped locales, each bundled by worker/i18n/catalogs.ts", () => {
    const locales = catalogFiles.map((f) => f.replace(/\.json$/, ""));
    expect(locales).toContain("en-US");
    for (const locale of locales) {
      expect(isLocale(locale), `${locale} is not a shipped locale`).toBe(true);
      expect(CATALOGS[locale as keyof typeof CATALOGS], `${locale}.json is not listed in worker/i18n/catalogs.ts`).toBeDefined();
    }
  });

  it.each(Object.entries(english))("en-US %s parses", (_, message) => {
    expect(() => parse(message, { ignoreTag: true })).not.toThrow();
  });

  describe.each(catalogFiles.filter((f) => f !== "en-US.json"))("%s", (file) => {
    const catalog = read(file);
    it("has no key English lacks, and only strings", () => {
      expect(Object.keys(catalog).filter((key) => !(key in english))).toEqual([]);
      expect(Object.entries(catalog).filter(([, value]) => typeof value !== "string")).toEqual([]);
    });
    it("has every key English has", () => {
      expect(Object.keys(english).filter((key) => !(key in catalog))).toEqual([]);
    });
    it.each(Object.keys(english).filter((key) => typeof catalog[key] === "string"))("%s keeps English's placeholders", (key) => {
      expect(placeholders(catalog[key] as string)).toEqual(placeholders(english[key]!));
    });
  });

  it.each([
    ["a renamed placeholder", "Hello {name}", "Hallo {nom}", false],
    ["a number made plain", "{count, number} joins", "{count} Beitritte", false],
    ["a plural kept", "{n, plural, one {# day} other {# days}}", "{n, plural, one {# Tag} other {# Tage}}", true],
    ["plural cases of another language", "{n, plural, one {# day} other {# days}}", "{n, plural, one {# dzień} few {# dni} many {# dni} other {# dnia}}", true],
    ["a select case dropped", "{x, select, true {a} other {b}}", "{x, select, other {b}}", false],
    ["a mention kept as text", "<@{userId}> joined", "<@{userId}> ist beigetreten", true],
  ])("parity: %s", (_, source, translated, same) => {
    expect(placeholders(translated).join() === placeholders(source).join()).toBe(same);
  });

  it("a key a catalog lacks reads English; a shipped locale without a catalog is English throughout", () => {
    const partial = catalogMessages("xx-partial", { "stats.empty": "Rien." });
    expect(partial.t("stats.empty")).toBe("Rien.");
    expect(partial.t("recent.title")).toBe("Recent joins");
    for (const locale of LOCALES.filter((l) => !CATALOGS[l])) expect(messages(locale)).toBe(englishMessages());
  });

  it("formats plurals and numbers by the message's locale", () => {
    const ru = catalogMessages("ru", { "stats.title": "{total, plural, one {# вход} few {# входа} many {# входов} other {# входа}} за {days, number} дн." });
    expect(ru.t("stats.title", { total: 3, days: 1000 })).toBe("3 входа за 1\u00a0000 дн.");
    expect(englishMessages().t("stats.title", { total: 12345, days: 1 })).toBe("Joins in the last 1 day: 12,345");
  });

  it("the pseudo-locale keeps every placeholder and is longer", () => {
    const pseudo = pseudoCatalog();
    for (const [key, message] of Object.entries(english)) {
      expect(placeholders(pseudo[key]!), key).toEqual(placeholders(message));
    }
    const length = (c: Record<string, string>) => Object.values(c).join("").length;
    expect(length(pseudo)).toBeGreaterThan(length(english) * 1.3);
  });
});
