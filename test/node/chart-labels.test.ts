import { describe, expect, it } from "vitest";
import { fontsFor, type ChartFont } from "../../worker/charts/fonts";
import { labelWidth } from "../../worker/charts/svg";

describe("labelWidth (the chart legend's spacing)", () => {
  it.each([
    ["Reddit", 42],
    ["Привет", 42],
    ["Łódź Çağrı", 70],
    ["中文社区", 48],
    ["山田のサーバー", 84],
    ["한국어 모임", 67],
  ])("%s is about %d px", (label, width) => expect(labelWidth(label)).toBe(width));
});

describe("fontsFor (only the fonts a chart's text needs are parsed)", () => {
  const font = (script: ChartFont["script"]) => ({ script, bytes: new Uint8Array([script.length]) });
  const all = [font("latin"), font("japanese"), font("korean"), font("chinese")];
  it.each([
    ["Latin, Polish, Turkish and Cyrillic: Inter alone", "Reddit Łódź Çağrı Привет", ["latin"]],
    ["kana", "サーバー", ["latin", "japanese"]],
    ["hanzi or kanji: both CJK fonts that carry them", "中文", ["latin", "japanese", "chinese"]],
    ["hangul", "한국어", ["latin", "korean"]],
  ])("%s", (_, text, scripts) => expect(fontsFor(text, all)).toEqual(scripts.map((s) => font(s as ChartFont["script"]).bytes)));
});
