import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { messages } from "../discord/messages";
import type { DiscordRest } from "../discord/rest";
import { logInfo } from "../log";
import type { Messages } from "../i18n/messages";
import { serverMessages } from "../i18n/server-locale";

export const ANNOUNCE_BATCH = 50;
/** Spent invitations nobody has announced yet. */
export const ANNOUNCE_DUE = sql`spent_at is not null and announced_at is null and invited_id is not null`;

/**
 * For each newly spent invitation: a DM to the inviter, and, where the guild
 * has a welcome channel, "@new joined, invited by @inviter" there, pinging
 * those two and nobody else. The guild's object runs this right after writing
 * a join, the cron as a backstop: each invitation is claimed (announced_at set)
 * before anything is sent, so the two never announce one twice. What Discord
 * could not take for now is released for the next run.
 */
export async function announceSpentInvitations(db: Db, rest: DiscordRest, options: { limit?: number; guildId?: string } = {}): Promise<{ announced: number }> {
  const claimed = await db.execute<{ id: number; guild_id: string; inviter_id: string | null; invited_id: string; welcome_channel_id: string | null }>(sql`
    with due as (
      select id from invitations
       where ${ANNOUNCE_DUE}
         ${options.guildId === undefined ? sql`` : sql`and guild_id = ${options.guildId}`}
       order by spent_at limit ${options.limit ?? ANNOUNCE_BATCH}
         for update skip locked)
    update invitations i set announced_at = now()
      from due where i.id = due.id and i.announced_at is null
    returning i.id, i.guild_id, i.inviter_id, i.invited_id,
              (select welcome_channel_id from invitation_settings s where s.guild_id = i.guild_id) as welcome_channel_id`);
  let announced = 0;
  // Public posts and the server's DMs: in each server's language.
  const languages = new Map<string, Promise<Messages>>();
  for (const [index, row] of claimed.rows.entries()) {
    if (!languages.has(row.guild_id)) languages.set(row.guild_id, serverMessages(db, row.guild_id));
    const m = await languages.get(row.guild_id)!;
    if (row.welcome_channel_id) {
      // An inviter forgotten (/invite forget) is not named.
      const posted = await messages.post(rest, row.guild_id, row.welcome_channel_id, {
        content: row.inviter_id === null ? m.t("welcome.joined", { userId: row.invited_id }) : m.t("welcome.joined_invited_by", { userId: row.invited_id, inviterId: row.inviter_id }),
        allowed_mentions: { parse: [], users: row.inviter_id === null ? [row.invited_id] : [row.invited_id, row.inviter_id] },
      });
      if (!posted.ok && posted.error.kind === "discord_unavailable") {
        const released = claimed.rows.slice(index).map((r) => r.id);
        await db.execute(sql`update invitations set announced_at = null where id in (select value::int from jsonb_array_elements_text(${JSON.stringify(released)}::jsonb))`);
        break;
      }
      // A refusal (channel gone or not this server's, no permission) is not retried forever.
      if (!posted.ok) logInfo("welcome post refused", { error: posted.error, channel: row.welcome_channel_id });
    }
    announced++;
    if (row.inviter_id === null) continue;
    // A DM is a courtesy: closed DMs or a failure do not hold the announcement back (nor repeat the post).
    const dm = await messages.dm(rest, row.inviter_id, {
      content: m.t("dm.invitee_joined", { userId: row.invited_id }),
      allowed_mentions: { parse: [] },
    });
    if (!dm.ok) logInfo("inviter not told of their invitee", { error: dm.error, invitation: row.id });
  }
  return { announced };
}
