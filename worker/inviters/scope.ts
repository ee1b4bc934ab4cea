import type { Queryable } from "../db";
import type { CountScope } from "./store";
import { loadJoinLogSettings } from "./settings";

/** How a guild's invites are counted now: its fake-account limit and stay period, the bot's own invites excluded. */
export async function countScope(
  db: Queryable,
  env: Pick<Env, "DISCORD_APPLICATION_ID">,
  guildId: string,
  window: { since: Date | null; until?: Date | null },
  now: Date,
): Promise<CountScope> {
  const settings = await loadJoinLogSettings(db, guildId);
  return {
    guildId,
    botUserId: env.DISCORD_APPLICATION_ID,
    policy: { fakeAccountAgeDays: settings.fakeAccountAgeDays, countAfterDays: settings.countAfterDays },
    since: window.since,
    until: window.until ?? null,
    now,
  };
}
