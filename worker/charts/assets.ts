// The chart renderer's assets as Worker modules: the wasm as a compiled module
// (wrangler's default rule) and the font as bytes (the Data rule in wrangler.toml).
import wasm from "@resvg/resvg-wasm/index_bg.wasm";
import font from "@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf";
import type { RendererAssets } from "./png";

export const workerAssets: RendererAssets = { wasm, font: new Uint8Array(font) };
