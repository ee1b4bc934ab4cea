import { eq } from "drizzle-orm";
import { guildSettings } from "../../schema";
import type { Queryable } from "../db";
import { DEFAULT_SETTINGS, type BriefingSettings, type SettingsChanges } from "../settings/briefing-settings";

const columns = {
  briefingChannelId: guildSettings.briefingChannelId,
  briefingDay: guildSettings.briefingDay,
  briefingHour: guildSettings.briefingHour,
  timezone: guildSettings.timezone,
  memberSearch: guildSettings.memberSearch,
};

/** The guild's settings; a guild that never ran `/invite settings` has the defaults. */
export async function loadSettings(db: Queryable, guildId: string): Promise<BriefingSettings> {
  const [row] = await db.select(columns).from(guildSettings).where(eq(guildSettings.guildId, guildId));
  return row ?? { ...DEFAULT_SETTINGS };
}

/** Applies the changes in one upsert and returns the settings now in force. */
export async function saveSettings(db: Queryable, guildId: string, changes: SettingsChanges, userId: string): Promise<BriefingSettings> {
  const stamp = { updatedBy: userId, updatedAt: new Date() };
  const [row] = await db
    .insert(guildSettings)
    .values({ ...DEFAULT_SETTINGS, ...changes, guildId, ...stamp })
    .onConflictDoUpdate({ target: guildSettings.guildId, set: { ...changes, ...stamp } })
    .returning(columns);
  return row!;
}

/** Guilds with a briefing channel, for the hourly briefing slot. */
export async function guildsWithBriefing(db: Queryable): Promise<Array<BriefingSettings & { guildId: string }>> {
  const rows = await db.select({ guildId: guildSettings.guildId, ...columns }).from(guildSettings);
  return rows.filter((r) => r.briefingChannelId !== null);
}
