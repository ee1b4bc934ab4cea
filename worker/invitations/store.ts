import { sql } from "drizzle-orm";
import type { Queryable } from "../db";

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
