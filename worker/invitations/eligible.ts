import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../db";
import { DAY_MS, type Policy } from "./policy";

/**
 * The members the policies of ./policy.ts allow (`isEligible`, the pure rule the
 * tests hold this to), as a query of user ids, so that a wave is counted and drawn
 * in Postgres: a guild of 100,000 members never comes into the Worker to choose a
 * few hundred. The guild's invitations are read once, grouped per inviter, and
 * hash-joined to its members (one pass each, not one look-up per member).
 */
function eligibleMembers(guildId: string, policy: Policy, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const cutoff = sql`${new Date(now.getTime() - policy.minDays * DAY_MS).toISOString()}::timestamptz`;
  const condition = ((): SQL => {
    switch (policy.name) {
      case "unspent":
        return sql`true`;
      case "never":
        return sql`h.inviter_id is null and m.joined_at <= ${cutoff}`;
      case "spent_since":
        return sql`h.last_spent_at <= ${cutoff}`;
      case "rewarded":
        return sql`h.settled and not h.churned`;
    }
  })();
  return sql`
    with history as (
      select i.inviter_id,
             bool_or(i.spent_at is null and i.revoked_at is null and (i.expires_at is null or i.expires_at > ${at})) as live,
             -- When their latest invitation (as minted) was spent; null when it was not.
             (array_agg(i.spent_at order by i.created_at desc, i.id desc))[1] as last_spent_at,
             -- Invitees here min_days can have proved something; did one leave sooner? (An invitee
             -- forgotten from members counts as staying, as one never seen leave does.)
             bool_or(i.spent_at <= ${cutoff}) as settled,
             coalesce(bool_or(i.spent_at <= ${cutoff} and im.left_at - i.spent_at < make_interval(days => ${policy.minDays})), false) as churned
        from invitations i
        left join members im on im.guild_id = i.guild_id and im.user_id = i.invited_id
       where i.guild_id = ${guildId} and i.inviter_id is not null
       group by i.inviter_id)
    select m.user_id from members m left join history h on h.inviter_id = m.user_id
     where m.guild_id = ${guildId} and m.left_at is null and not m.bot and h.live is not true and ${condition}`;
}

export interface EligibleDraw {
  /** Members the policy allows. */
  eligible: number;
  /** `count` of them chosen uniformly at random (all when fewer), in draw order. */
  recipients: string[];
}

/**
 * Counts the eligible members and draws `count` of them: each member's place is
 * a seeded hash of their user id (Postgres's hashtextextended, the stable hash of
 * hash partitioning, keyed by the seed's first 64 bits), so the draw is a uniform
 * sample that the same seed and the same eligible members always repeat (a wave
 * can be explained later). The places are 8-byte integers: cheap to make and to
 * keep the first `count` of.
 */
export async function drawEligible(db: Queryable, guildId: string, policy: Policy, now: Date, count: number, seed: string): Promise<EligibleDraw> {
  if (!/^[0-9a-f]{32}$/.test(seed)) throw new RangeError(`a seed is 32 hex digits, not ${seed}`);
  const key = BigInt.asIntN(64, BigInt(`0x${seed.slice(0, 16)}`)).toString();
  const result = await db.execute<{ eligible: number; recipients: string[] }>(sql`
    with eligible as materialized (
      select user_id, hashtextextended(user_id, ${key}::bigint) as place from (${eligibleMembers(guildId, policy, now)}) allowed)
    select (select count(*)::int from eligible) as eligible,
           array(select user_id from eligible order by place, user_id limit ${Math.max(0, count)}) as recipients`);
  const row = result.rows[0]!;
  return { eligible: row.eligible, recipients: row.recipients };
}
