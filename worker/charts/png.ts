import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { CHART_FONT } from "./svg";

/** What rendering needs, loaded by the caller: the Worker imports them as modules, Node reads the files. */
export interface RendererAssets {
  wasm: WebAssembly.Module | ArrayBuffer | ArrayBufferView;
  font: Uint8Array;
}

let initialised: Promise<void> | undefined;

/**
 * SVG → PNG with resvg compiled to WebAssembly. The module is instantiated once
 * per isolate; only the shipped font is used (a Worker has no system fonts).
 */
export async function renderPng(svg: string, assets: RendererAssets): Promise<Uint8Array> {
  initialised ??= initWasm(assets.wasm).catch((error: unknown) => {
    initialised = undefined;
    throw error;
  });
  await initialised;
  const resvg = new Resvg(svg, { font: { fontBuffers: [assets.font], defaultFontFamily: CHART_FONT } });
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
