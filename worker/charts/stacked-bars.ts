/**
 * A stacked bar chart as SVG text. Pure: the dashboard inlines it, and the
 * weekly briefing can render the same SVG to PNG. Every label is escaped.
 */

export interface Series {
  name: string;
  /** One value per x label, in order. */
  values: number[];
}

export interface StackedBarsInput {
  title: string;
  labels: string[];
  series: Series[];
  width?: number;
  height?: number;
}

/** Colour-blind-safe (Okabe–Ito), in the order series are stacked. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A "nice" axis maximum (1, 2 or 5 × 10^n) at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

export function stackedBarsSvg({ title, labels, series, width = 720, height = 320 }: StackedBarsInput): string {
  const margin = { top: 32, right: 16, bottom: 56, left: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const step = labels.length > 0 ? plotW / labels.length : plotW;
  const barW = Math.max(1, step * 0.8);
  const y = (v: number) => margin.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  for (const tick of [0, top / 2, top]) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick}</text>`);
  }
  labels.forEach((label, i) => {
    let base = 0;
    const x = margin.left + i * step + (step - barW) / 2;
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${escapeXml(`${label} · ${s.name}: ${v}`)}</title></rect>`,
      );
      base += v;
    });
    // Every seventh label and the last, so a month of days stays readable without overlaps.
    if ((i % 7 === 0 && labels.length - 1 - i >= 4) || i === labels.length - 1) {
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle" font-size="11">${escapeXml(label)}</text>`);
    }
  });
  const legend = series.map(
    (s, k) =>
      `<rect x="${margin.left + (k % 4) * 170}" y="${height - 26 + Math.floor(k / 4) * 14}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/>` +
      `<text x="${margin.left + (k % 4) * 170 + 14}" y="${height - 17 + Math.floor(k / 4) * 14}" font-size="11">${escapeXml(s.name.slice(0, 24))}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">` +
    `<text x="${margin.left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>${parts.join("")}${legend.join("")}</svg>`
  );
}
