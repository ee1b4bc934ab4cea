/**
 * The fonts charts name. A PNG (resvg in the Worker, which has no system fonts)
 * uses the shipped ones: Inter for Latin (Polish, Turkish…) and Cyrillic, then
 * Noto Sans JP, KR and SC subsets (scripts/subset-chart-fonts.ts) for names in
 * Japanese, Korean and Chinese. A page's inline SVG uses the page's own font stack.
 */
export const PNG_CHART_FONTS = "Inter, 'Noto Sans JP', 'Noto Sans KR', 'Noto Sans SC'";

/** The pages' font: the reader's system UI font, never a serif fallback. */
export const SYSTEM_FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

/** A shipped font and the script it is there for. */
export interface ChartFont {
  script: "latin" | "japanese" | "korean" | "chinese";
  bytes: Uint8Array;
}

/** Characters each CJK font draws: kana and kanji (JP), hangul (KR), hanzi (SC: those the JP subset lacks). */
const NEEDED: Record<Exclude<ChartFont["script"], "latin">, RegExp> = {
  japanese: /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/u,
  korean: /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/u,
  chinese: /[\u4e00-\u9fff]/u,
};

/**
 * The fonts a chart's text needs: resvg parses every font it is given on every
 * render (about 0.2 s for the CJK subsets), so a chart in Latin or Cyrillic alone gets Inter only.
 */
export function fontsFor(text: string, fonts: readonly ChartFont[]): Uint8Array[] {
  return fonts.filter((f) => f.script === "latin" || NEEDED[f.script].test(text)).map((f) => f.bytes);
}
