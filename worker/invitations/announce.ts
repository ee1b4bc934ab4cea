import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { messages } from "../discord/messages";
import type { DiscordRest } from "../discord/rest";
import { logInfo } from "../log";

export const ANNOUNCE_BATCH = 50;

/**
 * For each newly spent invitation: a DM to the inviter, and, where the guild
 * has a welcome channel, "@new joined, invited by @inviter" there, pinging
 * those two and nobody else. Each is announced once.
 */
export async function announceSpentInvitations(db: Db, rest: DiscordRest, options: { limit?: number; guildId?: string } = {}): Promise<{ announced: number }> {
  const due = await db.execute<{ id: number; inviter_id: string; invited_id: string; welcome_channel_id: string | null }>(sql`
    select i.id, i.inviter_id, i.invited_id, s.welcome_channel_id
      from invitations i left join invitation_settings s on s.guild_id = i.guild_id
     where i.spent_at is not null and i.announced_at is null and i.invited_id is not null
       ${options.guildId === undefined ? sql`` : sql`and i.guild_id = ${options.guildId}`}
     order by i.spent_at limit ${options.limit ?? ANNOUNCE_BATCH}`);
  let announced = 0;
  for (const row of due.rows) {
    if (row.welcome_channel_id) {
      const posted = await messages.post(rest, row.welcome_channel_id, {
        content: `<@${row.invited_id}> joined, invited by <@${row.inviter_id}>`,
        allowed_mentions: { parse: [], users: [row.invited_id, row.inviter_id] },
      });
      // A transient failure leaves it for the next run; a refusal (channel gone, no permission) is not retried forever.
      if (!posted.ok && posted.error.kind === "discord_unavailable") break;
      if (!posted.ok) logInfo("welcome post refused", { error: posted.error, channel: row.welcome_channel_id });
    }
    // A DM is a courtesy: closed DMs or a failure do not hold the announcement back (nor repeat the post).
    const dm = await messages.dm(rest, row.inviter_id, {
      content: `🎉 <@${row.invited_id}> joined with your invitation. Thank you for bringing them!`,
      allowed_mentions: { parse: [] },
    });
    if (!dm.ok) logInfo("inviter not told of their invitee", { error: dm.error, invitation: row.id });
    await db.execute(sql`update invitations set announced_at = now() where id = ${row.id}`);
    announced++;
  }
  return { announced };
}
