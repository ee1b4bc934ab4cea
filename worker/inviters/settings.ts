import { eq } from "drizzle-orm";
import { joinLogSettings, type JoinLogSettings } from "../../schema";
import type { Queryable } from "../db";
import { DEFAULT_POLICY } from "./counts";

export const DEFAULT_JOIN_LOG_SETTINGS = (guildId: string): JoinLogSettings => ({
  guildId,
  joinLogChannelId: null,
  joinMessage: null,
  leaveMessage: null,
  fakeAccountAgeDays: DEFAULT_POLICY.fakeAccountAgeDays,
  countAfterDays: DEFAULT_POLICY.countAfterDays,
});

/** The guild's inviter settings; the defaults when it never set any. */
export async function loadJoinLogSettings(db: Queryable, guildId: string): Promise<JoinLogSettings> {
  const [row] = await db.select().from(joinLogSettings).where(eq(joinLogSettings.guildId, guildId));
  return row ?? DEFAULT_JOIN_LOG_SETTINGS(guildId);
}

/** Writes the options given and keeps the others. */
export async function saveJoinLogSettings(db: Queryable, guildId: string, patch: Partial<Omit<JoinLogSettings, "guildId">>): Promise<JoinLogSettings> {
  const [row] = await db
    .insert(joinLogSettings)
    .values({ ...DEFAULT_JOIN_LOG_SETTINGS(guildId), ...patch })
    .onConflictDoUpdate({ target: joinLogSettings.guildId, set: patch })
    .returning();
  return row!;
}
