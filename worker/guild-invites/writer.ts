import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { withdrawDepartedInvitations } from "../invitations/withdraw";
import { recordBotArrival } from "../store/bot-arrival";
import { recordRaid } from "../raids/record";
import { saveProfile } from "../members/names";
import { writeJoinRows } from "./join-rows";
import type { OutboxItem } from "./outbox";

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Applies one outbox item to Postgres. Every write is idempotent, so an item
 * retried after a commit whose acknowledgement was lost has no second effect.
 */
export async function writeOutboxItem(db: Db, item: OutboxItem): Promise<void> {
  switch (item.kind) {
    case "join":
      // One row is a group of one (join-rows.ts): the same statements the flush uses for a raid's joins.
      await writeJoinRows(db, [item]);
      return;
    case "member_left":
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          update members set left_at = ${ts(item.leftAt)}::timestamptz
           where guild_id = ${item.guildId} and user_id = ${item.userId} and joined_at <= ${ts(item.leftAt)}::timestamptz`);
        await withdrawDepartedInvitations(tx, item.guildId, new Date(item.leftAt), item.userId);
      });
      return;
    case "member_profile":
      await saveProfile(db, item.guildId, item.userId, item.profile);
      return;
    case "vanity":
      await db.execute(sql`select learn_vanity_code(${item.guildId}, ${item.code})`);
      return;
    case "guild_left":
      // A second departure before a return keeps the first one's time: the grace period runs from it.
      await db.execute(sql`
        insert into departed_guilds (guild_id, left_at, reason) values (${item.guildId}, ${ts(item.leftAt)}::timestamptz, ${item.reason})
        on conflict (guild_id) do nothing`);
      return;
    case "guild_returned":
      await db.execute(sql`delete from departed_guilds where guild_id = ${item.guildId}`);
      return;
    case "counted_uses":
      // Keyed by (guild, code, interval end): a row committed before a lost acknowledgement is not added twice.
      await db.execute(sql`
        insert into counted_uses (guild_id, code, uses, how, counted_from, counted_at)
        select ${item.guildId}, r.code, r.uses, r.how, to_timestamp(r."countedFrom" / 1000.0), to_timestamp(r."countedAt" / 1000.0)
          from jsonb_to_recordset(${JSON.stringify(item.rows)}::jsonb) as r(code text, uses integer, how text, "countedFrom" bigint, "countedAt" bigint)
        on conflict on constraint counted_uses_once do nothing`);
      return;
    case "remove_mark":
      // Discord's to do, not Postgres's: the object does it (worker/marks/removal.ts).
      return;
    case "bot_arrival":
      await recordBotArrival(db, item.guildId, new Date(item.joinedAt));
      return;
    case "raid_alert":
      await recordRaid(db, item);
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
