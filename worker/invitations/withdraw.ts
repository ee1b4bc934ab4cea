import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import { discordInvites, DiscordErrorCode } from "../discord/invites";
import type { DiscordRest } from "../discord/rest";
import { logInfo } from "../log";

/**
 * Withdraws the unspent invitations of members who have left (one member, or
 * everyone the member sync found gone): an invitation links two members, so it
 * does not outlive its inviter's membership. Their landing pages answer 410,
 * and rejoining does not bring them back. Returns how many were withdrawn.
 */
export async function withdrawDepartedInvitations(db: Queryable, guildId: string, at: Date, userId?: string): Promise<number> {
  const result = await db.execute(sql`
    update invitations i set revoked_at = ${at.toISOString()}::timestamptz
      from members m
     where i.guild_id = ${guildId} ${userId === undefined ? sql`` : sql`and i.inviter_id = ${userId}`}
       and i.spent_at is null and i.revoked_at is null
       and (i.expires_at is null or i.expires_at > ${at.toISOString()}::timestamptz)
       and m.guild_id = i.guild_id and m.user_id = i.inviter_id and m.left_at is not null`);
  return result.rowCount ?? 0;
}

/**
 * Deletes the one-time Discord invites still live for withdrawn, unspent
 * invitations (a friend pressed Accept before the giver left), so none can
 * bring anyone in on their behalf. One Discord refuses is logged and left to
 * expire (30 minutes at most); a deleted one is marked expired, not tried again.
 */
export async function deleteWithdrawnDiscordInvites(db: Queryable, rest: DiscordRest, guildId: string, now: Date, userId?: string): Promise<number> {
  const live = await db.execute<{ id: number; code: string }>(sql`
    select id, discord_invite_code as code from invitations
     where guild_id = ${guildId} ${userId === undefined ? sql`` : sql`and inviter_id = ${userId}`}
       and revoked_at is not null and spent_at is null
       and discord_invite_code is not null and discord_invite_expires_at > ${now.toISOString()}::timestamptz`);
  let deleted = 0;
  for (const row of live.rows) {
    const result = await discordInvites.delete(rest, row.code, `Invitation ${row.id} was withdrawn`);
    // An invite already gone (used, expired, deleted) is what we wanted.
    if (!result.ok && !(result.error.kind === "discord" && result.error.code === DiscordErrorCode.UnknownInvite)) {
      logInfo("could not delete a withdrawn invitation's Discord invite", { guild: guildId, invitation: row.id, error: result.error });
      continue;
    }
    await db.execute(sql`update invitations set discord_invite_expires_at = ${now.toISOString()}::timestamptz where id = ${row.id}`);
    deleted++;
  }
  return deleted;
}
