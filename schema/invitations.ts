import { sql } from "drizzle-orm";
import { index, integer, pgTable, serial, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { waves } from "./waves";

/** A personal invitation: an inviter, later the member it brought, a secret single-use code. */
export const invitations = pgTable(
  "invitations",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    code: text("code").notNull().unique(),
    /** Null once the inviter asked to be forgotten (`/invite forget`): the invitation keeps its status. */
    inviterId: text("inviter_id"),
    invitedId: text("invited_id"),
    waveId: integer("wave_id").references(() => waves.id),
    discordInviteCode: text("discord_invite_code").unique(),
    /** When the single-use Discord invite made for it expires: until then the Accept button reuses it. */
    discordInviteExpiresAt: timestamp("discord_invite_expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    /** The recipient's DMs are closed (Discord 50007): they keep the invitation and see it in /invitations mine. */
    dmClosedAt: timestamp("dm_closed_at", { withTimezone: true }),
    /**
     * DMs of the link Discord refused with another error than closed DMs (an
     * unknown user, a refusal): retried on later runs up to a bound, then left
     * for /invitations mine.
     */
    dmFailures: smallint("dm_failures").notNull().default(0),
    spentAt: timestamp("spent_at", { withTimezone: true }),
    /** The inviter's DM and the welcome post about the spend went out (or were given up on). */
    announcedAt: timestamp("announced_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** The inviter's display name, read from Discord the first time the landing page needs it. */
    inviterName: text("inviter_name"),
  },
  (t) => [
    // Each member's invitations in minting order, with what a wave's policies ask of them
    // (worker/invitations/eligible.ts), so that a draw reads this index alone.
    index("invitations_guild_inviter").on(t.guildId, t.inviterId, t.createdAt, t.id, t.spentAt, t.revokedAt, t.expiresAt, t.invitedId),
    index("invitations_guild_invited").on(t.guildId, t.invitedId),
    index("invitations_wave").on(t.waveId),
    // The jobs' queues: invitations to DM, and spends to announce.
    index("invitations_to_notify").on(t.id).where(sql`${t.notifiedAt} is null and ${t.dmClosedAt} is null and ${t.spentAt} is null`),
    index("invitations_to_announce").on(t.spentAt).where(sql`${t.spentAt} is not null and ${t.announcedAt} is null`),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
