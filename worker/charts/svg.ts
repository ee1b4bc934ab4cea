/**
 * Charts as SVG, built in code (no I/O): the weekly briefing renders this to PNG
 * (charts/png.ts). Text uses the font family the renderer is given.
 */

export interface StackedSeries {
  name: string;
  values: number[];
  /** A fixed colour (e.g. grey for "no source"); otherwise the palette's, by position. */
  color?: string;
}

export interface StackedBarChart {
  title: string;
  /** One label per bar, e.g. "2026-11-23". */
  days: string[];
  /** Bottom to top; each has one value per day. */
  series: StackedSeries[];
  width: number;
  height: number;
  /** The CSS font-family list the text asks for (./fonts.ts): the shipped fonts for a PNG, the page's stack on a page. */
  fontFamily: string;
}

/** Distinguishable on Discord's dark theme, where the briefing is mostly read. */
const PALETTE = ["#5865F2", "#57F287", "#FEE75C", "#EB459E", "#ED4245", "#3BA55D"];

const colour = (s: StackedSeries, i: number) => s.color ?? PALETTE[i % PALETTE.length]!;

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** Full-width characters (CJK, hangul, kana) take about twice a Latin letter's width at 12 px. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]/u;

/** A legend label's estimated width in pixels (no text measuring in SVG built as a string). */
export const labelWidth = (label: string) => [...label].reduce((w, ch) => w + (WIDE.test(ch) ? 12 : 7), 0);

/** A round step for the y axis: 1, 2 or 5 times a power of ten, giving about four gridlines. */
export function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
}

/** Daily stacked bars with a legend, y gridlines and a date under every 7th bar. */
export function stackedBarSvg(chart: StackedBarChart): string {
  const { width, height, days, series } = chart;
  const margin = { top: 44, right: 16, bottom: 64, left: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const totals = days.map((_, d) => series.reduce((sum, s) => sum + (s.values[d] ?? 0), 0));
  const step = niceStep(Math.max(0, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const y = (v: number) => margin.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, slot * 0.72);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(chart.fontFamily)}">`,
    `<rect width="${width}" height="${height}" fill="#2B2D31"/>`,
    `<text x="${margin.left}" y="26" font-size="16" fill="#F2F3F5">${escapeXml(chart.title)}</text>`,
  ];
  for (let v = 0; v <= top; v += step) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#4E5058" stroke-width="1"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" fill="#B5BAC1" text-anchor="end">${v}</text>`);
  }
  days.forEach((day, d) => {
    const x = margin.left + d * slot + (slot - barW) / 2;
    let base = 0;
    series.forEach((s, i) => {
      const value = s.values[d] ?? 0;
      if (value <= 0) return;
      out.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y(base + value).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + value)).toFixed(1)}" fill="${colour(s, i)}"/>`);
      base += value;
    });
    if (d % 7 === 0) out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${margin.top + plotH + 16}" font-size="11" fill="#B5BAC1" text-anchor="middle">${escapeXml(day.slice(5))}</text>`);
  });
  let legendX = margin.left;
  series.forEach((s, i) => {
    const label = s.name.length > 24 ? `${s.name.slice(0, 23)}…` : s.name;
    out.push(`<rect x="${legendX}" y="${height - 26}" width="12" height="12" fill="${colour(s, i)}"/>`);
    out.push(`<text x="${legendX + 17}" y="${height - 16}" font-size="12" fill="#DBDEE1">${escapeXml(label)}</text>`);
    legendX += 17 + labelWidth(label) + 18;
  });
  out.push("</svg>");
  return out.join("");
}
