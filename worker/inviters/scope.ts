import type { Queryable } from "../db";
import type { CountScope } from "./store";
import { loadJoinLogSettings } from "./settings";

/** How a guild's invites are counted now: its fake-account limit, the bot's own invites excluded. */
export async function countScope(db: Queryable, env: Pick<Env, "DISCORD_APPLICATION_ID">, guildId: string, since: Date | null): Promise<CountScope> {
  const settings = await loadJoinLogSettings(db, guildId);
  return { guildId, botUserId: env.DISCORD_APPLICATION_ID, policy: { fakeAccountAgeDays: settings.fakeAccountAgeDays }, since };
}
