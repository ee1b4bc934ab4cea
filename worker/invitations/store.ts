import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../db";
import type { Invitee, MemberFacts } from "./policy";

/**
 * What the policies need to know of each member present and not a bot (the
 * policies refuse the others anyway; leaving them out keeps the read small).
 * Two reads, merged here: the members as one "id:joined" string (on a guild of
 * 100,000 that is far cheaper to build and parse than rows or JSON), and the
 * invitation history per inviter, with their invitees, as one JSON array.
 * Members come in user id order (bytewise, as JavaScript compares strings).
 * A policy's scope (policy.ts readScope) narrows the read to members who can qualify.
 */
export async function memberFacts(
  db: Queryable,
  guildId: string,
  now: Date,
  scope: { joinedBy: number | null; historyOnly: boolean } = { joinedBy: null, historyOnly: false },
): Promise<MemberFacts[]> {
  const epoch = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::bigint`;
  const [present, history] = await Promise.all([
    db.execute<{ members: string }>(sql`
      select coalesce(string_agg(user_id || ':' || ${epoch(sql`joined_at`)}, ',' order by user_id collate "C"), '') as members
        from members m where guild_id = ${guildId} and left_at is null and not bot
        ${scope.joinedBy === null ? sql`` : sql`and joined_at <= ${new Date(scope.joinedBy).toISOString()}::timestamptz`}
        ${scope.historyOnly ? sql`and exists (select 1 from invitations i where i.guild_id = m.guild_id and i.inviter_id = m.user_id)` : sql``}`),
    db.execute<{ inviters: Array<[string, number, number, number | null, Array<[number, number | null]> | null]> }>(sql`
      with mine as (
        select i.inviter_id,
               count(*) filter (where i.spent_at is null and i.revoked_at is null
                                and (i.expires_at is null or i.expires_at > ${now.toISOString()}::timestamptz))::int as live,
               count(*)::int as ever,
               (array_agg(i.spent_at order by i.created_at desc, i.id desc))[1] as last_spent_at,
               json_agg(json_build_array(${epoch(sql`i.spent_at`)}, ${epoch(sql`m.left_at`)})) filter (where i.spent_at is not null) as invitees
          from invitations i
          left join members m on m.guild_id = i.guild_id and m.user_id = i.invited_id
         where i.guild_id = ${guildId}
         group by i.inviter_id)
      select coalesce(json_agg(json_build_array(inviter_id, live, ever, ${epoch(sql`last_spent_at`)}, invitees)), '[]') as inviters from mine`),
  ]);
  const inviters = new Map((history.rows[0]?.inviters ?? []).map((row) => [row[0], row]));
  const list = present.rows[0]?.members ?? "";
  if (list === "") return [];
  return list.split(",").map((entry) => {
    const colon = entry.indexOf(":");
    const userId = entry.slice(0, colon);
    const [, live, ever, lastSpentAt, invitees] = inviters.get(userId) ?? [userId, 0, 0, null, null];
    return {
      userId,
      joinedAt: Number(entry.slice(colon + 1)),
      leftAt: null,
      bot: false,
      liveInvitations: live,
      invitationsEver: ever,
      lastSpentAt,
      invitees: (invitees ?? []).map(([joinedAt, leftAt]): Invitee => ({ joinedAt, leftAt })),
    };
  });
}

/** Serialises the mints (and revokes) of one guild: eligibility read under it sees every committed wave. */
export async function lockGuildInvitations(tx: Queryable, guildId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invitations:${guildId}`}, 0))`);
}

export interface WaveRow {
  guildId: string;
  policy: unknown;
  requested: number;
  eligible: number;
  seed: string;
  createdBy: string | null;
}

/** Invitations per insert statement: big enough to be fast, small enough to report progress on. */
const INSERT_CHUNK = 2_000;

/** Inserts the wave and its invitations (in chunks, in the caller's transaction). Returns the wave id. */
export async function insertWave(
  tx: Queryable,
  wave: WaveRow,
  invitations: Array<{ code: string; inviterId: string }>,
  expiresAt: Date | null,
  onProgress?: (written: number, total: number) => void,
): Promise<number> {
  const inserted = await tx.execute<{ id: number }>(sql`
    insert into waves (guild_id, policy, requested, minted, eligible, seed, created_by)
    values (${wave.guildId}, ${JSON.stringify(wave.policy)}::jsonb, ${wave.requested}, ${invitations.length}, ${wave.eligible},
            ${wave.seed}, ${wave.createdBy})
    returning id`);
  const waveId = Number(inserted.rows[0]!.id);
  for (let start = 0; start < invitations.length; start += INSERT_CHUNK) {
    const chunk = invitations.slice(start, start + INSERT_CHUNK);
    await tx.execute(sql`
      insert into invitations (guild_id, code, inviter_id, wave_id, expires_at)
      select ${wave.guildId}, x->>0, x->>1, ${waveId}, ${expiresAt?.toISOString() ?? null}::timestamptz
        from jsonb_array_elements(${JSON.stringify(chunk.map((i) => [i.code, i.inviterId]))}::jsonb) x`);
    onProgress?.(start + chunk.length, invitations.length);
  }
  return waveId;
}

export type InvitationStatus = "unspent" | "spent" | "revoked" | "expired";

/** An invitation's state at `now`: spending, then revoking, then expiry decide. */
export function invitationStatus(row: { spentAt: Date | null; revokedAt: Date | null; expiresAt: Date | null }, now: Date): InvitationStatus {
  if (row.spentAt) return "spent";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "unspent";
}

/** Edges of the invite tree around a member: who invited whom, up and down `depth` levels. */
export async function inviteTreeEdges(db: Queryable, guildId: string, userId: string, depth: number) {
  const result = await db.execute<{ inviter_id: string; invited_id: string; spent_at: string; level: number }>(sql`
    with recursive up as (
      select inviter_id, invited_id, spent_at, -1 as level from invitations
       where guild_id = ${guildId} and invited_id = ${userId} and spent_at is not null
      union all
      select i.inviter_id, i.invited_id, i.spent_at, up.level - 1 from invitations i join up on i.invited_id = up.inviter_id
       where i.guild_id = ${guildId} and i.spent_at is not null and up.level > ${-depth}::int
    ), down as (
      select inviter_id, invited_id, spent_at, 1 as level from invitations
       where guild_id = ${guildId} and inviter_id = ${userId} and spent_at is not null
      union all
      select i.inviter_id, i.invited_id, i.spent_at, down.level + 1 from invitations i join down on i.inviter_id = down.invited_id
       where i.guild_id = ${guildId} and i.spent_at is not null and down.level < ${depth}::int
    )
    select * from up union all select * from down order by level, spent_at`);
  return result.rows.map((r) => ({ inviterId: r.inviter_id, invitedId: r.invited_id, spentAt: new Date(r.spent_at), level: Number(r.level) }));
}
