import { sql } from "drizzle-orm";
import type { Queryable } from "../db";

export interface WaveStats {
  waveId: number;
  createdAt: Date;
  policy: unknown;
  requested: number;
  eligible: number;
  minted: number;
  notified: number;
  spent: number;
  /** Still spendable now: neither spent, revoked nor expired. */
  outstanding: number;
  /** spent / minted; null for an empty wave. */
  spendRate: number | null;
  /** Median hours from minting to spending, over the spent ones; null when none is spent. */
  medianHoursToSpend: number | null;
}

/** Per wave, newest first: what /invite waves shows, the CLI's stats and the autopilot's inputs. */
export async function waveStats(db: Queryable, guildId: string, now: Date, limit = 50): Promise<WaveStats[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select w.id, w.created_at, w.policy, w.requested, w.eligible, w.minted,
           count(i.notified_at)::int as notified, count(i.spent_at)::int as spent,
           count(*) filter (where i.id is not null and i.spent_at is null and i.revoked_at is null
                            and (i.expires_at is null or i.expires_at > ${now.toISOString()}::timestamptz))::int as outstanding,
           percentile_cont(0.5) within group (order by extract(epoch from i.spent_at - i.created_at) / 3600)
             filter (where i.spent_at is not null) as median_hours
      from waves w left join invitations i on i.wave_id = w.id
     where w.guild_id = ${guildId}
     group by w.id order by w.created_at desc, w.id desc limit ${limit}`);
  return result.rows.map((r) => ({
    waveId: Number(r.id),
    createdAt: new Date(r.created_at as string),
    policy: r.policy,
    requested: Number(r.requested),
    eligible: Number(r.eligible),
    minted: Number(r.minted),
    notified: Number(r.notified),
    spent: Number(r.spent),
    outstanding: Number(r.outstanding),
    spendRate: Number(r.minted) > 0 ? Number(r.spent) / Number(r.minted) : null,
    medianHoursToSpend: r.median_hours === null ? null : Number(r.median_hours),
  }));
}
