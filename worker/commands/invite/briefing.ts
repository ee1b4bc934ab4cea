import { buildBriefing } from "../../briefing/build";
import { isoWeek, localTime } from "../../briefing/schedule";
import { loadWorkerAssets } from "../../charts/worker-assets";
import { gatherHealth } from "../../health/gather";
import type { Reply } from "../../interactions/reply";
import { loadSettings } from "../../store/guild-settings";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

/** /invite briefing: this week's briefing, chart included, shown to the admin alone now. */
export async function inviteBriefing(ctx: CommandContext): Promise<Outcome<Reply>> {
  const settings = await loadSettings(ctx.db, ctx.guildId);
  const week = isoWeek(localTime(ctx.now.getTime(), settings.timezone).date);
  // Shown to the admin alone: in their language (the weekly post is in the server's).
  const assets = await loadWorkerAssets();
  const briefing = await buildBriefing(ctx.db, ctx.env, ctx.guildId, ctx.now, week, gatherHealth(ctx.env, ctx.db, ctx.guildId, ctx.now, ctx.m), assets, ctx.m);
  const content = settings.briefingChannelId ? ctx.m.t("briefing.preview", { channelId: settings.briefingChannelId }) : ctx.m.t("briefing.preview_no_channel");
  return ok({ content, embeds: [briefing.embed], files: [briefing.chart], ephemeral: true });
}
