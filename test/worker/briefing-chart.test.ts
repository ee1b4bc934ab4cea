import { describe, expect, it } from "vitest";
import { workerAssets } from "../../worker/charts/assets";
import { PNG_CHART_FONTS } from "../../worker/charts/fonts";
import { renderPng } from "../../worker/charts/png";
import { stackedBarSvg, type StackedSeries } from "../../worker/charts/svg";
import { decodePng } from "./support/png";

const days = Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 9, 27 + i)).toISOString().slice(0, 10));
const chart = (series: StackedSeries[]) => stackedBarSvg({ title: "Daily joins, last 4 weeks", days, series, width: 800, height: 360, fontFamily: PNG_CHART_FONTS });

describe("the briefing chart", () => {
  it("renders in the Worker to a valid PNG of the expected size, whose pixels follow the data", async () => {
    const quiet = chart([{ name: "Reddit", values: days.map((_, i) => i % 3) }]);
    const busy = chart([
      { name: "Reddit", values: days.map((_, i) => (i * 7) % 11) },
      { name: "Twitter", values: days.map((_, i) => (i > 20 ? 9 : 1)) },
    ]);
    const [a, b, again] = await Promise.all([renderPng(quiet, workerAssets), renderPng(busy, workerAssets), renderPng(quiet, workerAssets)]);
    const [imageA, imageB, imageAgain] = await Promise.all([decodePng(a), decodePng(b), decodePng(again)]);
    expect([imageA.width, imageA.height]).toEqual([800, 360]);
    expect([imageB.width, imageB.height]).toEqual([800, 360]);
    let differing = 0;
    for (let i = 0; i < imageA.rgba.length; i += 4) if (imageA.rgba[i] !== imageB.rgba[i] || imageA.rgba[i + 1] !== imageB.rgba[i + 1]) differing++;
    expect(differing).toBeGreaterThan(2_000);
    expect(imageAgain.rgba).toEqual(imageA.rgba);
    // Text is drawn with the shipped font: the title row is not background alone.
    const titleRow = imageA.rgba.subarray(20 * 800 * 4, 21 * 800 * 4);
    expect(new Set(Array.from({ length: 800 }, (_, x) => titleRow[x * 4])).size).toBeGreaterThan(2);
  });

  it("draws Japanese, Korean, Chinese and Cyrillic source names with the shipped fonts, not as tofu", async () => {
    const names = ["山田のサーバー", "Привет мир", "한국어 모임", "中文社区", "Łódź Çağrı"];
    const named = (labels: string[]) => chart(labels.map((name, i) => ({ name, values: days.map((_, d) => (d + i) % 4) })));
    // The same names as missing glyphs (a private-use character no font has): what tofu looks like.
    const tofu = names.map((n) => n.replace(/\S/g, "\uE000"));
    const interOnly = { ...workerAssets, fonts: workerAssets.fonts.slice(0, 1) };
    const [drawn, boxes, latinOnly] = await Promise.all([renderPng(named(names), workerAssets), renderPng(named(tofu), workerAssets), renderPng(named(names), interOnly)]);
    const [a, b, c] = await Promise.all([decodePng(drawn), decodePng(boxes), decodePng(latinOnly)]);
    // The legend's band, where the names are written: which pixels of each name's stretch differ.
    const legend = (x0: number, x1: number, p: { rgba: Uint8Array }, q: { rgba: Uint8Array }) => {
      let differing = 0;
      for (let y = 360 - 30; y < 360 - 8; y++) for (let x = x0; x < x1; x++) if (p.rgba[(y * 800 + x) * 4] !== q.rgba[(y * 800 + x) * 4]) differing++;
      return differing;
    };
    expect(legend(0, 800, a, b)).toBeGreaterThan(400);
    // Without the CJK subsets, the same chart differs: the Japanese, Korean and Chinese glyphs come from them.
    expect(legend(0, 800, a, c)).toBeGreaterThan(200);
  });
});
