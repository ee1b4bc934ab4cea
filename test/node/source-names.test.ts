import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forbiddenInName, normalizeSourceName, sourceNameKey } from "../../worker/sources/names";

describe("sourceNameKey: one source, however it is typed", () => {
  it.each([
    ["Greek final sigma, capitals", "ΟΔΟΣ", "οδος"],
    ["Greek final sigma, medial form", "οδοσ", "οδος"],
    ["Turkish dotted capital I (default folding)", "İSTANBUL", "i̇stanbul"],
    ["sharp s against double S", "Straße", "STRASSE"],
    ["capital sharp s", "STRAẞE", "strasse"],
    ["NFC against NFD", "Caf\u00e9", "Cafe\u0301"],
    ["a zero-width space", "Reddit\u200bBattlefield6", "REDDITBATTLEFIELD6"],
    ["full-width letters", "Ｒｅｄｄｉｔ", "reddit"],
    ["a bidi mark", "\u200fReddit", "Reddit"],
    ["an emoji variation selector", "\u2764\ufe0f fans", "\u2764 FANS"],
    ["no-break and ideographic spaces", "Reddit\u00a0\u3000 Ads", "reddit ads"],
    ["a ligature", "ﬁsh", "FISH"],
  ])("%s: %j and %j share a key", (_label, a, b) => {
    expect(sourceNameKey(a)).toBe(sourceNameKey(b));
  });

  it.each([
    ["dotted and dotless capital I stay apart", "İSTANBUL", "ISTANBUL"],
    ["different words", "Reddit", "Redit"],
    ["a space is not nothing", "Red dit", "Reddit"],
  ])("%s: %j and %j differ", (_label, a, b) => {
    expect(sourceNameKey(a)).not.toBe(sourceNameKey(b));
  });

  it.each([
    ["ΟΔΟΣ", "οδοσ"],
    ["  Reddit   Ads ", "reddit ads"],
    ["Straße", "strasse"],
  ])("%j → %j", (input, key) => {
    expect(sourceNameKey(input)).toBe(key);
  });
});

describe("normalizeSourceName refuses what cannot be a name", () => {
  it.each([
    ["empty", "", "empty"],
    ["only spaces", "   ", "empty"],
    ["only zero-width characters", "\u200b\u200d\ufeff", "empty"],
    ["a Hangul filler, invisible", "\u3164", "empty"],
    ["NUL", "a\u0000b", "control_characters"],
    ["escape", "a\u001bb", "control_characters"],
    ["DEL", "a\u007fb", "control_characters"],
    ["a C1 control", "a\u0085b", "control_characters"],
    ["right-to-left override", "gnp\u202e.exe", "control_characters"],
    ["left-to-right embedding", "\u202aabc", "control_characters"],
    ["first strong isolate", "abc\u2068", "control_characters"],
    ["a lone high surrogate", "a\ud800b", "broken_text"],
    ["a lone low surrogate", "\udc00", "broken_text"],
    ["65 characters", "x".repeat(65), "too_long"],
  ])("%s", (_label, input, problem) => {
    expect(normalizeSourceName(input)).toEqual({ ok: false, problem });
  });

  it.each([
    ["Reddit Battlefield6", "Reddit Battlefield6"],
    ["tab\tand\nnewline", "tab and newline"],
    ["Cafe\u0301", "Caf\u00e9"],
    ["an emoji pair 😀", "an emoji pair 😀"],
    ["שלום\u200f", "שלום\u200f"],
  ])("keeps %j as %j", (input, name) => {
    expect(normalizeSourceName(input)).toEqual({ ok: true, name });
  });
});

describe("sourceNameKey properties", () => {
  const text = fc.string({ unit: "binary", maxLength: 24 });

  it("is idempotent: a key is its own key", () => {
    fc.assert(fc.property(text, (s) => sourceNameKey(sourceNameKey(s)) === sourceNameKey(s)), { numRuns: 5_000 });
  });

  it("ignores case: upper, lower and the key itself agree", () => {
    fc.assert(
      fc.property(text, (s) => {
        const key = sourceNameKey(s);
        return sourceNameKey(s.toUpperCase()) === key && sourceNameKey(s.toLowerCase()) === key;
      }),
      { numRuns: 5_000 },
    );
  });

  it("ignores normalisation form and invisible characters", () => {
    fc.assert(
      fc.property(text, fc.constantFrom("\u200b", "\u200d", "\u2060", "\ufeff", "\u200e"), (s, invisible) => {
        const key = sourceNameKey(s);
        return sourceNameKey(s.normalize("NFD")) === key && sourceNameKey(`${invisible}${s}${invisible}`) === key;
      }),
      { numRuns: 5_000 },
    );
  });

  it("accepts no name whose key is empty or that holds a control character", () => {
    fc.assert(
      fc.property(text, (s) => {
        const result = normalizeSourceName(s);
        if (!result.ok) return true;
        return sourceNameKey(result.name) !== "" && forbiddenInName(result.name) === null;
      }),
      { numRuns: 5_000 },
    );
  });
});
