import { describe, expect, it } from "vitest";
import { workerAssets } from "../../worker/charts/assets";
import { renderPng } from "../../worker/charts/png";
import { stackedBarSvg, type StackedSeries } from "../../worker/charts/svg";
import { decodePng } from "./support/png";

const days = Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 9, 27 + i)).toISOString().slice(0, 10));
const chart = (series: StackedSeries[]) => stackedBarSvg({ title: "Daily joins, last 4 weeks", days, series, width: 800, height: 360 });

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
});
