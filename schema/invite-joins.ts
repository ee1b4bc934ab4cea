import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { inviteSources } from "./invite-sources";

export const joinMethods = ["diff", "vanity", "exact", "manual", "role", "oauth", "source", "unresolved"] as const;
export type JoinMethod = (typeof joinMethods)[number];

/** One row per (guild, user, join time): where a member came from. */
export const inviteJoins = pgTable(
  "invite_joins",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    inviteCode: text("invite_code"),
    sourceId: integer("source_id").references(() => inviteSources.id),
    invitationId: integer("invitation_id"),
    method: text("method", { enum: joinMethods }).notNull(),
    candidates: text("candidates").array(),
    isRejoin: boolean("is_rejoin").notNull().default(false),
    /**
     * Joins left unresolved together whose increments are exactly the candidates:
     * once all but one are resolved, the last follows by elimination.
     */
    groupId: text("group_id"),
    /**
     * Why an unresolved join has no invite beyond its candidates: "missed" when the
     * relay never delivered it and the daily member sync found it. Null otherwise.
     */
    reason: text("reason"),
    /**
     * Whose invites every candidate is, when the code is in doubt but the join surely came
     * through one of them and one member (or the bot) made them all: the join credits that
     * inviter (worker/inviters/counts.ts). Null otherwise, and once the code is known.
     */
    candidatesInviterId: text("candidates_inviter_id"),
  },
  (t) => [
    unique("invite_joins_once").on(t.guildId, t.userId, t.joinedAt),
    // source_id rides along so /invite stats counts its partial first day from the index alone.
    index("invite_joins_guild_time").on(t.guildId, t.joinedAt.desc(), t.sourceId),
    index("invite_joins_guild_user").on(t.guildId, t.userId, t.joinedAt.desc()),
    index("invite_joins_group").on(t.guildId, t.groupId),
    // An inviter's joins are found through the codes of their invites (/invites show).
    index("invite_joins_guild_code").on(t.guildId, t.inviteCode),
    index("invite_joins_guild_candidates_inviter").on(t.guildId, t.candidatesInviterId).where(sql`${t.candidatesInviterId} is not null`),
    index("invite_joins_guild_invitation").on(t.guildId, t.invitationId).where(sql`${t.invitationId} is not null`),
    // The joins without a source, split by cause in /invite stats, health and the briefing: every
    // column the split reads is in the key, so it is counted from the index alone.
    index("invite_joins_unattributed")
      .on(t.guildId, t.joinedAt, t.method, t.reason, t.inviteCode, t.candidates)
      .where(sql`${t.sourceId} is null`),
    check("invite_joins_method", sql`${t.method} in ('diff', 'vanity', 'exact', 'manual', 'role', 'oauth', 'source', 'unresolved')`),
  ],
);

export type InviteJoin = typeof inviteJoins.$inferSelect;
