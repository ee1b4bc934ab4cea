import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { withdrawDepartedInvitations } from "../invitations/withdraw";
import { candidatesShare } from "../store/candidates-share";
import type { OutboxItem } from "./outbox";

type JoinItem = Extract<OutboxItem, { kind: "join" }>;

/** Joins written in one statement at most: a flush's batch, and well under Postgres' parameter and statement limits. */
export const MAX_JOIN_ROWS = 500;

/**
 * Splits outbox items into what is written together: consecutive joins of one
 * guild, each member at most once (two rows of one member in one statement
 * would upsert the same `members` row twice, which Postgres refuses, and the
 * later must see the earlier), up to MAX_JOIN_ROWS; anything else alone. The
 * order of the items is kept.
 */
export function writeGroups<T extends { item: OutboxItem }>(entries: T[]): T[][] {
  const groups: T[][] = [];
  let joins: T[] = [];
  let members = new Set<string>();
  const close = () => {
    if (joins.length > 0) groups.push(joins);
    joins = [];
    members = new Set();
  };
  for (const entry of entries) {
    const { item } = entry;
    if (item.kind !== "join") {
      close();
      groups.push([entry]);
      continue;
    }
    if (members.has(item.userId) || joins.length === MAX_JOIN_ROWS || (joins.length > 0 && (joins[0]!.item as JoinItem).guildId !== item.guildId)) close();
    joins.push(entry);
    members.add(item.userId);
  }
  close();
  return groups;
}

const ts = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * Writes one guild's joins (distinct members; see `writeGroups`) in one
 * transaction of three multi-row statements, whatever their number: the
 * `invite_joins` upserts, the `members` upserts, and the invitations they
 * spend. It does what worker/guild-invites/writer.ts does for one join, row for
 * row, and is as idempotent: written again, it changes nothing.
 */
export async function writeJoinRows(db: Db, joins: JoinItem[]): Promise<void> {
  if (joins.length === 0) return;
  const guildId = joins[0]!.guildId;
  const rows = JSON.stringify(
    joins.map((j) => ({
      user_id: j.userId,
      joined_at: ts(j.joinedAt),
      left_at: ts(j.leftAt),
      bot: j.bot ?? false,
      did_rejoin: j.didRejoin,
      method: j.method,
      invite_code: j.inviteCode,
      invitation_id: j.invitationId,
      candidates: j.candidates,
      group_id: j.groupId,
      reason: j.reason ?? null,
      through_candidate: j.throughCandidate === true,
      has_profile: Boolean(j.profile),
      username: j.profile?.username ?? null,
      global_name: j.profile?.globalName ?? null,
      nick: j.profile?.nick ?? null,
      avatar: j.profile?.avatar ?? null,
      discriminator: j.profile?.discriminator ?? null,
    })),
  );
  const input = sql`select * from jsonb_to_recordset(${rows}::jsonb) as r(
    user_id text, joined_at timestamptz, left_at timestamptz, bot boolean, did_rejoin boolean, method text, invite_code text,
    invitation_id integer, candidates text[], group_id text, reason text, through_candidate boolean,
    has_profile boolean, username text, global_name text, nick text, avatar text, discriminator text)`;
  // A join that surely used one of its candidates: an unresolved join through one of them, or a marked join's codes.
  const through = sql`(r.method = 'role' or (r.method = 'unresolved' and r.through_candidate)) and r.reason is null and cardinality(r.candidates) > 0`;
  await db.transaction(async (tx) => {
    // The source: the invite's label at the time of the join, or, for a join that surely used one of its
    // candidates, their one label (method 'source'; a marked join keeps method 'role'), and its inviter
    // from their one creator (worker/inviters/counts.ts); a rejoin is Discord's DID_REJOIN flag or an
    // earlier join we recorded. The same join written again is a revised verdict (see the attribution timeline).
    await tx.execute(sql`
      with r as (${input})
      insert into invite_joins (guild_id, user_id, joined_at, invite_code, source_id, invitation_id, method, candidates, group_id, reason,
                                candidates_inviter_id, is_rejoin)
      select ${guildId}, r.user_id, r.joined_at, r.invite_code, coalesce(i.source_id, s.source_id),
             coalesce(r.invitation_id, (select id from invitations where guild_id = ${guildId} and discord_invite_code = r.invite_code)),
             case when r.method <> 'role' and s.source_id is not null then 'source' else r.method end, r.candidates, r.group_id, r.reason,
             c.inviter_id,
             r.did_rejoin or exists (select 1 from invite_joins e where e.guild_id = ${guildId} and e.user_id = r.user_id and e.joined_at < r.joined_at)
        from r
        left join invites i on i.code = r.invite_code and i.guild_id = ${guildId}
        left join lateral (${candidatesShare(guildId, sql`r.candidates`, "source_id")}) s on ${through}
        left join lateral (${candidatesShare(guildId, sql`r.candidates`, "inviter_id")}) c on ${through}
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
      with r as (${input})
      insert into members (guild_id, user_id, joined_at, left_at, bot)
      select ${guildId}, r.user_id, r.joined_at, r.left_at, r.bot from r
      on conflict (guild_id, user_id) do update set joined_at = excluded.joined_at, left_at = excluded.left_at, bot = excluded.bot
       where members.joined_at < excluded.joined_at`);
    // Names and avatar seen with the join (worker/members); a forgotten member keeps none.
    await tx.execute(sql`
      with r as (${input})
      update members m set username = r.username, global_name = r.global_name, nick = r.nick, avatar = r.avatar, discriminator = r.discriminator
        from r
       where r.has_profile and m.guild_id = ${guildId} and m.user_id = r.user_id and m.forgotten_at is null`);
    // Spends the invitation each row now names, and takes back a spend an earlier verdict on the same join had made.
    await tx.execute(sql`
      with r as (${input}),
      j as (select ij.user_id, ij.joined_at, ij.invitation_id from invite_joins ij join r on ij.guild_id = ${guildId} and ij.user_id = r.user_id and ij.joined_at = r.joined_at),
      undone as (
        update invitations v set invited_id = null, spent_at = null, announced_at = null from j
         where v.guild_id = ${guildId} and v.invited_id = j.user_id and v.spent_at = j.joined_at and v.id is distinct from j.invitation_id)
      update invitations v set invited_id = j.user_id, spent_at = j.joined_at from j
       where v.id = j.invitation_id and v.guild_id = ${guildId} and v.spent_at is null`);
    for (const left of joins.filter((j) => j.leftAt)) await withdrawDepartedInvitations(tx, guildId, new Date(left.leftAt!), left.userId);
  });
}
