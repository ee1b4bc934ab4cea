import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../db";
import { DAY_MS, type Policy } from "./policy";

/**
 * The policies of ./policy.ts (`isEligible`, the pure rule the tests hold this to)
 * as a condition on a member `m`, so that a wave is counted and drawn in Postgres:
 * a guild of 100,000 members never comes into the Worker to choose a few hundred.
 */
function eligibleCondition(guildId: string, policy: Policy, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const cutoff = sql`${new Date(now.getTime() - policy.minDays * DAY_MS).toISOString()}::timestamptz`;
  const theirs = sql`i.guild_id = ${guildId} and i.inviter_id = m.user_id`;
  const live = sql`exists (select 1 from invitations i where ${theirs} and i.spent_at is null and i.revoked_at is null and (i.expires_at is null or i.expires_at > ${at}))`;
  const base = sql`m.guild_id = ${guildId} and m.left_at is null and not m.bot and not ${live}`;
  switch (policy.name) {
    case "unspent":
      return base;
    case "never":
      return sql`${base} and m.joined_at <= ${cutoff} and not exists (select 1 from invitations i where ${theirs})`;
    case "spent_since":
      // Their latest invitation (as minted) was spent, long enough ago.
      return sql`${base} and (select i.spent_at from invitations i where ${theirs} order by i.created_at desc, i.id desc limit 1) <= ${cutoff}`;
    case "rewarded":
      // Invitees here min_days can have proved something; every one of them stayed that long (an invitee
      // forgotten from members counts as staying, as a member never seen leave does).
      return sql`${base}
        and exists (select 1 from invitations i where ${theirs} and i.spent_at <= ${cutoff})
        and not exists (select 1 from invitations i join members im on im.guild_id = i.guild_id and im.user_id = i.invited_id
                         where ${theirs} and i.spent_at <= ${cutoff} and im.left_at - i.spent_at < make_interval(days => ${policy.minDays}))`;
  }
}

export interface EligibleDraw {
  /** Members the policy allows. */
  eligible: number;
  /** `count` of them chosen uniformly at random (all when fewer), in draw order. */
  recipients: string[];
}

/**
 * Counts the eligible members and draws `count` of them: each member's place is
 * a hash of the seed and their user id, so the draw is a uniform sample that the
 * same seed and the same eligible members always repeat (a wave can be explained later).
 */
export async function drawEligible(db: Queryable, guildId: string, policy: Policy, now: Date, count: number, seed: string): Promise<EligibleDraw> {
  if (!/^[0-9a-f]{32}$/.test(seed)) throw new RangeError(`a seed is 32 hex digits, not ${seed}`);
  const result = await db.execute<{ eligible: number; recipients: string[] }>(sql`
    with eligible as materialized (
      select m.user_id, md5(${seed} || m.user_id) as place from members m where ${eligibleCondition(guildId, policy, now)})
    select (select count(*)::int from eligible) as eligible,
           array(select user_id from eligible order by place, user_id limit ${Math.max(0, count)}) as recipients`);
  const row = result.rows[0]!;
  return { eligible: row.eligible, recipients: row.recipients };
}
