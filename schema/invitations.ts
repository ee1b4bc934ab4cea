import { index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { waves } from "./waves";

/** A personal invitation: an inviter, later the member it brought, a secret single-use code. */
export const invitations = pgTable(
  "invitations",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    code: text("code").notNull().unique(),
    inviterId: text("inviter_id").notNull(),
    invitedId: text("invited_id"),
    waveId: integer("wave_id").references(() => waves.id),
    discordInviteCode: text("discord_invite_code").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    spentAt: timestamp("spent_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("invitations_guild_inviter").on(t.guildId, t.inviterId)],
);
