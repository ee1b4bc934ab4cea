/**
 * The fonts charts name. A PNG (resvg in the Worker, which has no system fonts)
 * uses the shipped ones: Inter for Latin (Polish, Turkish…) and Cyrillic, then
 * Noto Sans JP, KR and SC subsets (scripts/subset-chart-fonts.ts) for names in
 * Japanese, Korean and Chinese. A page's inline SVG uses the page's own font stack.
 */
export const PNG_CHART_FONTS = "Inter, 'Noto Sans JP', 'Noto Sans KR', 'Noto Sans SC'";

/** The pages' font: the reader's system UI font, never a serif fallback. */
export const SYSTEM_FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";
