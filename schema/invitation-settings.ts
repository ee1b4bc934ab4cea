import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A guild's invitation settings (`/invite settings`): scheduled waves, channels, the growth autopilot. */
export const invitationSettings = pgTable("invitation_settings", {
  guildId: text("guild_id").primaryKey(),
  /** Members per scheduled wave; 0 means no scheduled waves. With a growth target, the cap on a wave. */
  waveSize: integer("wave_size").notNull().default(0),
  wavePolicy: text("wave_policy").notNull().default("unspent"),
  waveMinDays: integer("wave_min_days").notNull().default(0),
  waveEveryDays: integer("wave_every_days").notNull().default(7),
  /** Days an invitation stays valid. */
  expiresDays: integer("expires_days").notNull().default(14),
  /** Joins per week the autopilot aims for; null sizes waves at wave_size. */
  growthTarget: integer("growth_target"),
  invitationChannelId: text("invitation_channel_id"),
  welcomeChannelId: text("welcome_channel_id"),
  lastWaveAt: timestamp("last_wave_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type InvitationSettings = typeof invitationSettings.$inferSelect;
