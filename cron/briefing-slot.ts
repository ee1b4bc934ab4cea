import { postBriefingOnce } from "../worker/briefing/post";
import { briefingSlot } from "../worker/briefing/schedule";
import { DiscordRest } from "../worker/discord/rest";
import { logError } from "../worker/log";
import { guildsWithBriefing, loadSettings } from "../worker/store/guild-settings";
import { afterDiscordFailure, done, IDLE, type GuildJob } from "./job-run";

/** Hourly: every guild whose local briefing slot has come gets its weekly briefing, once per week. */
export const briefingSlotJob: GuildJob = {
  name: "briefing",
  // Only the guilds whose slot has come: the slot is pure, so most guilds cost the Queue nothing.
  guilds: async (_env, db, now) => (await guildsWithBriefing(db)).filter((g) => briefingSlot(now.getTime(), g).due).map((g) => g.guildId),
  async run(env, db, guildId, now) {
    // Read again: the settings may have changed since the scheduled run chose the guild.
    const settings = await loadSettings(db, guildId);
    const slot = briefingSlot(now.getTime(), settings);
    if (settings.briefingChannelId === null || !slot.due) return IDLE;
    const rest = DiscordRest.fromEnv(env);
    const outcome = await postBriefingOnce(env, db, rest, { guildId, channelId: settings.briefingChannelId, week: slot.week }, now);
    const figures = { week: slot.week, result: outcome.kind, posted: outcome.kind === "posted" ? 1 : 0, rateLimited: rest.rateLimitHits };
    if (outcome.kind !== "failed") return done(figures);
    logError("briefing: the post failed; it is tried again (an outage by the Queue, else at the next hourly run)", null, { guild: guildId, week: slot.week, discord: outcome.error });
    return afterDiscordFailure(outcome.error, figures);
  },
};
