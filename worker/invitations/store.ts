import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import type { Invitee, MemberFacts } from "./policy";

const ms = (value: unknown): number | null => (value === null || value === undefined ? null : new Date(value as string).getTime());

/**
 * What the policies need to know of each member present and not a bot (the
 * policies refuse the others anyway; leaving them out keeps the read small).
 * One query: invitations are aggregated per inviter, invitees joined in.
 */
export async function memberFacts(db: Queryable, guildId: string, now: Date): Promise<MemberFacts[]> {
  const result = await db.execute<{
    user_id: string;
    joined_at: string;
    live: number;
    ever: number;
    last_spent_at: string | null;
    invitees: Array<[string, string | null]> | null;
  }>(sql`
    with mine as (
      select inviter_id,
             count(*) filter (where spent_at is null and revoked_at is null
                              and (expires_at is null or expires_at > ${now.toISOString()}::timestamptz))::int as live,
             count(*)::int as ever,
             (array_agg(spent_at order by created_at desc, id desc))[1] as last_spent_at,
             json_agg(json_build_array(i.spent_at, m.left_at)) filter (where i.spent_at is not null) as invitees
        from invitations i
        left join members m on m.guild_id = i.guild_id and m.user_id = i.invited_id
       where i.guild_id = ${guildId}
       group by inviter_id)
    select m.user_id, m.joined_at, coalesce(mine.live, 0) as live, coalesce(mine.ever, 0) as ever, mine.last_spent_at, mine.invitees
      from members m left join mine on mine.inviter_id = m.user_id
     where m.guild_id = ${guildId} and m.left_at is null and not m.bot`);
  return result.rows.map((r) => ({
    userId: r.user_id,
    joinedAt: ms(r.joined_at)!,
    leftAt: null,
    bot: false,
    liveInvitations: Number(r.live),
    invitationsEver: Number(r.ever),
    lastSpentAt: ms(r.last_spent_at),
    invitees: (r.invitees ?? []).map(([joinedAt, leftAt]): Invitee => ({ joinedAt: ms(joinedAt)!, leftAt: ms(leftAt) })),
  }));
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
