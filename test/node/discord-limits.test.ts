import type { APIEmbed } from "discord-api-types/payloads/v10";
import { describe, expect, it } from "vitest";
import { cutText, fitContent, fitEmbeds, MESSAGE_LIMITS } from "../../worker/discord/limits";
import { defaultJoinMessage, renderTemplate } from "../../worker/join-log/template";
import { english } from "../../worker/i18n/messages";

/** A lone surrogate is what Discord (and every JSON consumer after it) chokes on. */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const x = (n: number) => "x".repeat(n);
const FAMILY = "👨‍👩‍👧";

describe("cutText", () => {
  it.each([
    ["short text", "abc", 5, "abc"],
    ["exactly the limit", x(5), 5, x(5)],
    ["one over", x(6), 5, `${x(4)}…`],
    ["an emoji across the cut", `${x(1998)}😀😀`, 2_000, `${x(1998)}…`],
    ["an emoji just before the cut", `${x(1997)}😀😀`, 2_000, `${x(1997)}😀…`],
    ["a joined family", `${x(10)}${FAMILY}${FAMILY}`, 14, `${x(10)}…`],
    ["a whole family", `${x(2)}${FAMILY}${FAMILY}`, 11, `${x(2)}${FAMILY}…`],
    ["a flag", `${x(3)}🇳🇱🇳🇱`, 6, `${x(3)}…`],
    ["a skin tone", `${x(3)}👍🏽👍🏽`, 8, `${x(3)}👍🏽…`],
    ["a skin tone right after the cut", `${x(3)}👍🏽`, 5, `${x(3)}…`],
    ["a combining accent", `${x(3)}e\u0301e\u0301`, 5, `${x(3)}…`],
    ["no room for anything but the ellipsis", x(5), 1, "…"],
    ["no room at all", x(5), 0, ""],
  ])("%s", (_, text, max, expected) => {
    const cut = cutText(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
    expect(wellFormed(cut)).toBe(true);
  });

  it("cuts a huge text quickly (only the kept part is segmented)", () => {
    const started = performance.now();
    expect(cutText("😀".repeat(5_000_000), 2_000)).toHaveLength(1_999);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("the join log's message (renderTemplate)", () => {
  it.each([
    ["an emoji across the 2,000-unit limit", "😀", 999],
    ["a joined family across it", FAMILY, 999],
    ["a flag across it", "🇳🇱", 999],
  ])("a long value ending in %s is cut within the limit, never mid-character", (_, tail, count) => {
    const text = renderTemplate("{member}: {source}", {
      ...{ member: "<@1>", inviter: "", code: "", invites: "", account_age: "" },
      source: tail.repeat(count),
    });
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMITS.content);
    expect(text.endsWith("…")).toBe(true);
    expect(wellFormed(text)).toBe(true);
  });

  it("leaves a message within the limit alone", () =>
    expect(renderTemplate(defaultJoinMessage(english()), { member: "m", inviter: "i", source: "s", code: "c", invites: "1", account_age: "a" })).not.toContain("…"));
});

const embedsLength = (embeds: APIEmbed[]) =>
  embeds.reduce(
    (sum, e) =>
      sum +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.author?.name.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0),
    0,
  );

describe("fitEmbeds", () => {
  const field = (name: string, value: string) => ({ name, value });
  it.each<[string, APIEmbed[], (fitted: APIEmbed[]) => void]>([
    ["an embed within every limit is unchanged", [{ title: "t", description: "d", footer: { text: "f" }, fields: [field("n", "v")], color: 1 }], (f) =>
      expect(f).toEqual([{ title: "t", description: "d", footer: { text: "f" }, fields: [field("n", "v")], color: 1 }])],
    ["title", [{ title: x(300) }], (f) => expect(f[0]!.title).toBe(`${x(255)}…`)],
    ["description (the settings preview's two long templates)", [{ description: x(4_173) }], (f) => expect(f[0]!.description).toBe(`${x(4_095)}…`)],
    ["footer", [{ footer: { text: x(3_000), icon_url: "https://e.example/i.png" } }], (f) => expect(f[0]!.footer).toEqual({ text: `${x(2_047)}…`, icon_url: "https://e.example/i.png" })],
    ["author", [{ author: { name: x(300) } }], (f) => expect(f[0]!.author!.name).toHaveLength(256)],
    ["field name and value", [{ fields: [field(x(300), x(2_000))] }], (f) => expect(f[0]!.fields).toEqual([field(`${x(255)}…`, `${x(1_023)}…`)])],
    ["25 fields at most", [{ fields: Array.from({ length: 30 }, (_, i) => field(`n${i}`, "v")) }], (f) => expect(f[0]!.fields).toHaveLength(25)],
    ["10 embeds at most", Array.from({ length: 12 }, () => ({ title: "t" })), (f) => expect(f).toHaveLength(10)],
    ["6,000 in all: the first embed whole, the second cut, the third left out", [
      { title: "a", description: x(4_000) },
      { title: "b", description: x(4_000) },
      { title: "c", description: x(10) },
    ], (f) => {
      expect(f.map((e) => e.description!.length)).toEqual([4_000, 1_998]);
      expect(f[1]!.description!.endsWith("…")).toBe(true);
    }],
    ["a field that no longer fits the total is left out, not sent empty", [
      { description: x(4_096), fields: [field("n", x(1_024)), field("m", x(1_024)), field("o", "v")] },
    ], (f) => expect(f[0]!.fields!.map((g) => [g.name, g.value.length])).toEqual([["n", 1_024], ["m", 6_000 - 4_096 - 1 - 1_024 - 1]])],
  ])("%s", (_, embeds, check) => {
    const fitted = fitEmbeds(embeds);
    check(fitted);
    expect(embedsLength(fitted)).toBeLessThanOrEqual(MESSAGE_LIMITS.embedsTotal);
  });

  it("fitContent keeps a message's content within 2,000", () => expect(fitContent(`${x(1_999)}😀`)).toBe(`${x(1_999)}…`));
});
