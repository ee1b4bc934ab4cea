import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { fontsFor, PNG_CHART_FONTS, type ChartFont } from "./fonts";

/** What rendering needs, loaded by the caller: the Worker imports them as modules, Node reads the files. */
export interface RendererAssets {
  wasm: WebAssembly.Module | ArrayBuffer | ArrayBufferView;
  /** Inter and the CJK subsets (./fonts.ts). */
  fonts: ChartFont[];
}

let initialised: Promise<void> | undefined;

/**
 * SVG → PNG with resvg compiled to WebAssembly. The module is instantiated once
 * per isolate; only the shipped fonts are used (a Worker has no system fonts).
 */
export async function renderPng(svg: string, assets: RendererAssets): Promise<Uint8Array> {
  initialised ??= initWasm(assets.wasm).catch((error: unknown) => {
    initialised = undefined;
    throw error;
  });
  await initialised;
  // Charts draw axis-aligned bars and rules: crisp edges rasterise them in half the time of anti-aliased ones
  // (text keeps its anti-aliasing).
  const resvg = new Resvg(svg, { shapeRendering: 1, font: { fontBuffers: fontsFor(svg, assets.fonts), defaultFontFamily: PNG_CHART_FONTS } });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
