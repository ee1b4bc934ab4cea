import { eq, sql } from "drizzle-orm";
import { invitationSettings, type InvitationSettings } from "../../schema";
import type { Queryable } from "../db";

export type SettingsPatch = Partial<Omit<InvitationSettings, "guildId" | "updatedAt">>;

/** A guild's invitation settings; the defaults when it never set any. */
export async function readInvitationSettings(db: Queryable, guildId: string): Promise<InvitationSettings> {
  const [row] = await db.select().from(invitationSettings).where(eq(invitationSettings.guildId, guildId));
  return row ?? defaultSettings(guildId);
}

export function defaultSettings(guildId: string): InvitationSettings {
  return {
    guildId,
    waveSize: 0,
    wavePolicy: "unspent",
    waveMinDays: 0,
    waveEveryDays: 7,
    expiresDays: 14,
    growthTarget: null,
    invitationChannelId: null,
    welcomeChannelId: null,
    lastWaveAt: null,
    updatedAt: new Date(0),
  };
}

/** Changes only the fields given; the rest keep their value (or default). */
export async function updateInvitationSettings(db: Queryable, guildId: string, patch: SettingsPatch): Promise<InvitationSettings> {
  const [row] = await db
    .insert(invitationSettings)
    .values({ ...patch, guildId })
    .onConflictDoUpdate({ target: invitationSettings.guildId, set: { ...patch, updatedAt: sql`now()` } })
    .returning();
  return row!;
}
