import { postBriefingOnce } from "../worker/briefing/post";
import { briefingSlot } from "../worker/briefing/schedule";
import type { Db } from "../worker/db";
import { DiscordRest } from "../worker/discord/rest";
import { logError } from "../worker/log";
import { guildsWithBriefing } from "../worker/store/guild-settings";
import { runForGuilds } from "./job-run";

/** Hourly: every guild whose local briefing slot has come gets its weekly briefing, once per week. */
export async function briefingSlotJob(env: Env, db: Db, now: Date) {
  const guilds = new Map((await guildsWithBriefing(db)).map((g) => [g.guildId, g]));
  return runForGuilds(db, "briefing", [...guilds.keys()], async (guildId) => {
    const settings = guilds.get(guildId)!;
    const slot = briefingSlot(now.getTime(), settings);
    if (!slot.due) return null;
    const rest = DiscordRest.fromEnv(env);
    const outcome = await postBriefingOnce(env, db, rest, { guildId, channelId: settings.briefingChannelId!, week: slot.week }, now);
    if (outcome.kind === "failed") logError("briefing: the post failed; the next hourly run tries again", null, { guild: guildId, week: slot.week, discord: outcome.error });
    return { week: slot.week, result: outcome.kind, posted: outcome.kind === "posted" ? 1 : 0, rateLimited: rest.rateLimitHits };
  });
}
