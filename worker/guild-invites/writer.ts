import { sql } from "drizzle-orm";
import type { Db, Queryable } from "../db";
import { withdrawDepartedInvitations } from "../invitations/withdraw";
import { candidatesShare } from "../store/candidates-share";
import { recordBotArrival } from "../store/bot-arrival";
import { recordRaid } from "../raids/record";
import { saveProfile } from "../members/names";
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
        // The source comes from the invite's label at the time of the join, or, for a join
        // that surely used one of its candidates, from their one label (method 'source',
        // the rule of worker/counted-uses/source-of.ts; a marked join keeps method 'role'), and its
        // inviter from their one creator (worker/inviters/counts.ts); a rejoin is Discord's DID_REJOIN
        // flag or an earlier join we recorded. The same join written again is a revised verdict (see
        // the attribution timeline).
        await tx.execute(sql`
          with by_source as (${shareOfCandidates(item, "source_id")}), by_inviter as (${shareOfCandidates(item, "inviter_id")})
          insert into invite_joins (guild_id, user_id, joined_at, invite_code, source_id, invitation_id, method, candidates, group_id, reason,
                                    candidates_inviter_id, is_rejoin)
          values (${item.guildId}, ${item.userId}, ${ts(item.joinedAt)}::timestamptz, ${item.inviteCode},
                  coalesce((select source_id from invites where code = ${item.inviteCode} and guild_id = ${item.guildId}), (select source_id from by_source)),
                  ${invitationOf(item)}, case when ${item.method} <> 'role' and (select source_id from by_source) is not null then 'source' else ${item.method} end,
                  ${item.candidates === null ? null : sql`array(select jsonb_array_elements_text(${JSON.stringify(item.candidates)}::jsonb))`},
                  ${item.groupId}, ${item.reason ?? null}, (select inviter_id from by_inviter),
                  ${item.didRejoin} or exists (select 1 from invite_joins
                     where guild_id = ${item.guildId} and user_id = ${item.userId} and joined_at < ${ts(item.joinedAt)}::timestamptz))
          on conflict on constraint invite_joins_once do update set
            invite_code = excluded.invite_code, source_id = excluded.source_id, invitation_id = excluded.invitation_id,
            method = excluded.method, candidates = excluded.candidates, group_id = excluded.group_id, reason = excluded.reason,
            candidates_inviter_id = excluded.candidates_inviter_id
          -- A later verdict on the same join revises the diff's; an admin's or Discord's own word stays.
          where invite_joins.method in ('diff', 'vanity', 'source', 'role', 'unresolved')
            and (invite_joins.method, invite_joins.invite_code, invite_joins.candidates, invite_joins.group_id, invite_joins.reason,
                 invite_joins.candidates_inviter_id)
                is distinct from (excluded.method, excluded.invite_code, excluded.candidates, excluded.group_id, excluded.reason,
                                  excluded.candidates_inviter_id)`);
        await tx.execute(sql`
          insert into members (guild_id, user_id, joined_at, left_at, bot)
          values (${item.guildId}, ${item.userId}, ${ts(item.joinedAt)}::timestamptz, ${ts(item.leftAt ?? null)}::timestamptz, ${item.bot ?? false})
          on conflict (guild_id, user_id) do update set joined_at = excluded.joined_at, left_at = excluded.left_at, bot = excluded.bot
           -- Only a newer join replaces the row: a revised verdict on the same join leaves a departure alone.
           where members.joined_at < excluded.joined_at`);
        if (item.profile) await saveProfile(tx, item.guildId, item.userId, item.profile);
        await spendInvitation(tx, item);
        if (item.leftAt) await withdrawDepartedInvitations(tx, item.guildId, new Date(item.leftAt), item.userId);
      });
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

type JoinItem = Extract<OutboxItem, { kind: "join" }>;

/**
 * One row (`column`) when the join surely used one of its candidates (an unresolved join
 * through one of them, a marked join's codes) and all carry one value of it (one source
 * label, one creator); none otherwise.
 */
function shareOfCandidates(item: JoinItem, column: "source_id" | "inviter_id") {
  const through = item.method === "role" || (item.method === "unresolved" && item.throughCandidate);
  if (!through || item.reason || !item.candidates?.length) {
    return column === "source_id" ? sql`select null::integer as source_id where false` : sql`select null::text as inviter_id where false`;
  }
  return candidatesShare(item.guildId, sql`array(select jsonb_array_elements_text(${JSON.stringify(item.candidates)}::jsonb))`, column);
}

/**
 * The invitation a join came through: the one the object learned for its code,
 * or, should the object not know it (the code was learned elsewhere), the
 * invitation whose single-use Discord invite it is.
 */
function invitationOf(item: JoinItem) {
  if (item.invitationId !== null) return sql`${item.invitationId}::int`;
  if (item.inviteCode === null) return sql`null::int`;
  return sql`(select id from invitations where guild_id = ${item.guildId} and discord_invite_code = ${item.inviteCode})`;
}

/**
 * Spends the invitation the join's row now names (once: a spent one stays
 * with its first invitee) and takes the spend back from an invitation an
 * earlier verdict on this same join had named.
 */
async function spendInvitation(tx: Queryable, item: JoinItem) {
  const joinedAt = ts(item.joinedAt);
  await tx.execute(sql`
    with j as (select invitation_id from invite_joins
                where guild_id = ${item.guildId} and user_id = ${item.userId} and joined_at = ${joinedAt}::timestamptz),
    undone as (
      update invitations set invited_id = null, spent_at = null, announced_at = null
       where guild_id = ${item.guildId} and invited_id = ${item.userId} and spent_at = ${joinedAt}::timestamptz
         and id is distinct from (select invitation_id from j))
    update invitations set invited_id = ${item.userId}, spent_at = ${joinedAt}::timestamptz
     where id = (select invitation_id from j) and guild_id = ${item.guildId} and spent_at is null`);
}
