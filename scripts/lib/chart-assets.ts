import fs from "node:fs";
import { createRequire } from "node:module";
import type { ChartFont } from "../../worker/charts/fonts";

const require = createRequire(import.meta.url);

const subset = (lang: string) => new URL(`../../worker/charts/fonts/noto-sans-${lang}-subset.ttf`, import.meta.url);

/** The chart renderer's assets read from disk, for Node (benches, the briefing example): the same files the Worker bundles (worker/charts/assets.ts). */
export function nodeRendererAssets() {
  const files: Array<[ChartFont["script"], string | URL]> = [
    ["latin", require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf")],
    ["japanese", subset("jp")],
    ["korean", subset("kr")],
    ["chinese", subset("sc")],
  ];
  const fonts: ChartFont[] = files.map(([script, file]) => ({ script, bytes: new Uint8Array(fs.readFileSync(file)) }));
  return { wasm: fs.readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")), fonts };
}
