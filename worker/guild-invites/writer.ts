import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { OutboxItem } from "./outbox";

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Applies one outbox item to Postgres. Every write is idempotent, so an item
 * retried after a commit whose acknowledgement was lost has no second effect.
 */
export async function writeOutboxItem(db: Db, item: OutboxItem): Promise<void> {
  switch (item.kind) {
    case "join":
      await db.transaction(async (tx) => {
        // The source comes from the invite's label at the time of the join; a rejoin is
        // Discord's DID_REJOIN flag or an earlier join we recorded. The same join written
        // again is a revised verdict (see the attribution timeline).
        await tx.execute(sql`
          insert into invite_joins (guild_id, user_id, joined_at, invite_code, source_id, invitation_id, method, candidates, group_id, is_rejoin)
          values (${item.guildId}, ${item.userId}, ${ts(item.joinedAt)}::timestamptz, ${item.inviteCode},
                  (select source_id from invites where code = ${item.inviteCode} and guild_id = ${item.guildId}),
                  ${item.invitationId}, ${item.method},
                  ${item.candidates === null ? null : sql`array(select jsonb_array_elements_text(${JSON.stringify(item.candidates)}::jsonb))`},
                  ${item.groupId},
                  ${item.didRejoin} or exists (select 1 from invite_joins
                     where guild_id = ${item.guildId} and user_id = ${item.userId} and joined_at < ${ts(item.joinedAt)}::timestamptz))
          on conflict on constraint invite_joins_once do update set
            invite_code = excluded.invite_code, source_id = excluded.source_id, invitation_id = excluded.invitation_id,
            method = excluded.method, candidates = excluded.candidates, group_id = excluded.group_id
          -- A later verdict on the same join revises the diff's; an admin's or Discord's own word stays.
          where invite_joins.method in ('diff', 'vanity', 'unresolved')
            and (invite_joins.method, invite_joins.invite_code, invite_joins.candidates, invite_joins.group_id)
                is distinct from (excluded.method, excluded.invite_code, excluded.candidates, excluded.group_id)`);
        await tx.execute(sql`
          insert into members (guild_id, user_id, joined_at, left_at)
          values (${item.guildId}, ${item.userId}, ${ts(item.joinedAt)}::timestamptz, ${ts(item.leftAt ?? null)}::timestamptz)
          on conflict (guild_id, user_id) do update set joined_at = excluded.joined_at, left_at = excluded.left_at
           -- Only a newer join replaces the row: a revised verdict on the same join leaves a departure alone.
           where members.joined_at < excluded.joined_at`);
      });
      return;
    case "member_left":
      await db.execute(sql`
        update members set left_at = ${ts(item.leftAt)}::timestamptz
         where guild_id = ${item.guildId} and user_id = ${item.userId} and joined_at <= ${ts(item.leftAt)}::timestamptz`);
      return;
    case "invite":
      await db.execute(sql`
        insert into invites (code, guild_id, channel_id, inviter_id, uses, max_uses, max_age, expires_at, created_at, deleted_at)
        values (${item.code}, ${item.guildId}, ${item.channelId}, ${item.inviterId}, ${item.uses}, ${item.maxUses}, ${item.maxAge},
                ${ts(item.expiresAt)}::timestamptz, ${ts(item.createdAt)}::timestamptz, ${ts(item.deletedAt)}::timestamptz)
        on conflict (code) do update set uses = greatest(invites.uses, excluded.uses), deleted_at = excluded.deleted_at,
          channel_id = coalesce(excluded.channel_id, invites.channel_id), inviter_id = coalesce(excluded.inviter_id, invites.inviter_id)`);
      return;
  }
}
