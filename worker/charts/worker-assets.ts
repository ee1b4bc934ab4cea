import type { RendererAssets } from "./png";

/**
 * The renderer's assets as Worker modules (./assets.ts), loaded on first use:
 * Node imports the command and cron code too (benches, tools), and cannot load a .wasm or .ttf module.
 */
export const loadWorkerAssets = (): Promise<RendererAssets> => import("./assets").then((m) => m.workerAssets);
