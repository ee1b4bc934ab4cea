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
  const assets = await loadWorkerAssets();
  const briefing = await buildBriefing(ctx.db, ctx.env, ctx.guildId, ctx.now, week, gatherHealth(ctx.env, ctx.db, ctx.guildId, ctx.now), assets);
  const where = settings.briefingChannelId ? `It is posted in <#${settings.briefingChannelId}> every week.` : "Set a channel with `/invite settings briefing_channel:` to have it posted every week.";
  return ok({ content: `Preview of this week's briefing. ${where}`, embeds: [briefing.embed], files: [briefing.chart], ephemeral: true });
}
