import type { APIEmbed } from "discord-api-types/payloads/v10";
import { renderPng, type RendererAssets } from "../charts/png";
import type { Db } from "../db";
import type { HealthLine } from "../health/report";
import type { MessageFile } from "../interactions/reply";
import { briefingChartSvg, CHART_FILE, composeBriefing } from "./compose";
import { loadBriefingFigures } from "./figures";
import type { Messages } from "../i18n/messages";

export interface Briefing {
  embed: APIEmbed;
  chart: MessageFile;
}

/** One briefing, chart included: read the figures (and the health lines, gathered meanwhile), compose the embed, render the chart. */
export async function buildBriefing(
  db: Db,
  env: Pick<Env, "DISCORD_APPLICATION_ID">,
  guildId: string,
  now: Date,
  week: string,
  health: Promise<HealthLine[]>,
  assets: RendererAssets,
  m: Messages,
): Promise<Briefing> {
  const figures = await loadBriefingFigures(db, env, guildId, now, week, health, m);
  const png = await renderPng(briefingChartSvg(figures, m), assets);
  return { embed: composeBriefing(figures, m), chart: { name: CHART_FILE, contentType: "image/png", data: png } };
}
