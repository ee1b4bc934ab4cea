// The chart renderer's assets as Worker modules: the wasm as a compiled module
// (wrangler's default rule) and the fonts as bytes (the Data rule in wrangler.toml).
import wasm from "@resvg/resvg-wasm/index_bg.wasm";
import inter from "@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf";
import notoJp from "./fonts/noto-sans-jp-subset.ttf";
import notoKr from "./fonts/noto-sans-kr-subset.ttf";
import notoSc from "./fonts/noto-sans-sc-subset.ttf";
import type { RendererAssets } from "./png";

export const workerAssets: RendererAssets = {
  wasm,
  fonts: [
    { script: "latin", bytes: new Uint8Array(inter) },
    { script: "japanese", bytes: new Uint8Array(notoJp) },
    { script: "korean", bytes: new Uint8Array(notoKr) },
    { script: "chinese", bytes: new Uint8Array(notoSc) },
  ],
};
