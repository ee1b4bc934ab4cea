import { describe, expect, it } from "vitest";
import { niceMax, stackedBarsSvg } from "../../worker/charts/stacked-bars";

describe("niceMax", () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [11, 20],
    [480, 500],
    [501, 1000],
  ])("%d → %d", (max, expected) => expect(niceMax(max)).toBe(expected));
});

describe("stackedBarsSvg", () => {
  it("stacks each day's values, one bar per non-zero value, with escaped names", () => {
    const svg = stackedBarsSvg({
      title: "Joins <per> day",
      labels: ["11-01", "11-02"],
      series: [
        { name: "Reddit & co", values: [3, 0] },
        { name: "<script>", values: [2, 5] },
      ],
    });
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).toContain("Reddit &#38; co");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("aria-label=\"Joins &#60;per&#62; day\"");
    // The tallest stack (5) reaches the top of a 5-high axis.
    expect(svg).toContain('<text x="38" y="36" text-anchor="end" font-size="11">5</text>');
  });
});
