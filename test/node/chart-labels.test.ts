import { describe, expect, it } from "vitest";
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
