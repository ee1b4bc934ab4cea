import { eq } from "drizzle-orm";
import { raidSettings } from "../../schema";
import type { Queryable } from "../db";
import { NO_RAID_ALERTS, type RaidSettings } from "./settings";

const columns = { channelId: raidSettings.channelId, threshold: raidSettings.threshold };

/** The guild's raid alert settings; off when it never set any. */
export async function loadRaidSettings(db: Queryable, guildId: string): Promise<RaidSettings> {
  const [row] = await db.select(columns).from(raidSettings).where(eq(raidSettings.guildId, guildId));
  return row ?? NO_RAID_ALERTS;
}

/** Applies the options given in one upsert and returns the settings now in force. */
export async function saveRaidSettings(db: Queryable, guildId: string, patch: Partial<RaidSettings>): Promise<RaidSettings> {
  const [row] = await db
    .insert(raidSettings)
    .values({ ...NO_RAID_ALERTS, ...patch, guildId })
    .onConflictDoUpdate({ target: raidSettings.guildId, set: patch })
    .returning(columns);
  return row!;
}
