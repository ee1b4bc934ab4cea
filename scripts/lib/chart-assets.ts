import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The chart renderer's assets read from disk, for Node (benches, the briefing example): the same files the Worker bundles (worker/charts/assets.ts). */
export function nodeRendererAssets() {
  const fonts = [
    require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf"),
    ...["jp", "kr", "sc"].map((lang) => new URL(`../../worker/charts/fonts/noto-sans-${lang}-subset.ttf`, import.meta.url)),
  ];
  return { wasm: fs.readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")), fonts: fonts.map((f) => new Uint8Array(fs.readFileSync(f))) };
}
