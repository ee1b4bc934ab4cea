import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../db";
import { DAY_MS, type Policy } from "./policy";

/**
 * The members the policies of ./policy.ts allow (`isEligible`, the pure rule the
 * tests hold this to), as a query of user ids, so that a wave is counted and drawn
 * in Postgres: a guild of 100,000 members never comes into the Worker to choose a
 * few hundred. One query per policy, each reading only what its rule needs, from
 * the indexes of migration 0022 alone: members here now (members_guild_present),
 * and each member's invitations in minting order (invitations_guild_inviter).
 */
function eligibleMembers(guildId: string, policy: Policy, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const cutoff = sql`${new Date(now.getTime() - policy.minDays * DAY_MS).toISOString()}::timestamptz`;
  // Written as members_guild_present's predicate is, so that the planner uses it.
  const present = sql`m.guild_id = ${guildId} and m.left_at is null and not m.bot`;
  const holdsLive = sql`exists (select 1 from invitations l where l.guild_id = ${guildId} and l.inviter_id = m.user_id
    and l.spent_at is null and l.revoked_at is null and (l.expires_at is null or l.expires_at > ${at}))`;
  switch (policy.name) {
    case "unspent":
      return sql`select m.user_id from members m where ${present} and not ${holdsLive}`;
    case "never":
      // Never given one, so holding none either.
      return sql`select m.user_id from members m where ${present} and m.joined_at <= ${cutoff}
        and not exists (select 1 from invitations i where i.guild_id = ${guildId} and i.inviter_id = m.user_id)`;
    case "spent_since":
      return sql`select m.user_id
        from (select distinct on (i.inviter_id) i.inviter_id, i.spent_at from invitations i
               where i.guild_id = ${guildId} and i.inviter_id is not null
               order by i.inviter_id, i.created_at desc, i.id desc) latest
        join members m on m.user_id = latest.inviter_id
       where ${present} and latest.spent_at <= ${cutoff} and not ${holdsLive}`;
    case "rewarded":
      // Invitees here min_days can have proved something; did one leave sooner? Only those who
      // left can have (an invitee forgotten from members counts as staying, as one never seen leave does).
      return sql`select m.user_id
        from (select i.inviter_id from invitations i
                left join members im on im.guild_id = i.guild_id and im.user_id = i.invited_id and im.left_at is not null
               where i.guild_id = ${guildId} and i.inviter_id is not null and i.spent_at <= ${cutoff}
               group by i.inviter_id
              having not coalesce(bool_or(im.left_at - i.spent_at < make_interval(days => ${policy.minDays})), false)) proven
        join members m on m.user_id = proven.inviter_id
       where ${present} and not ${holdsLive}`;
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
 * a seeded hash of their user id (Postgres's hashtextextended, the stable hash of
 * hash partitioning, keyed by the seed's first 64 bits), so the draw is a uniform
 * sample that the same seed and the same eligible members always repeat (a wave
 * can be explained later). The places are 8-byte integers: cheap to make and to
 * keep the first `count` of.
 */
function drawStatement(guildId: string, policy: Policy, now: Date, count: number, seed: string): SQL {
  if (!/^[0-9a-f]{32}$/.test(seed)) throw new RangeError(`a seed is 32 hex digits, not ${seed}`);
  const key = BigInt.asIntN(64, BigInt(`0x${seed.slice(0, 16)}`)).toString();
  return sql`
    with eligible as materialized (
      select user_id, hashtextextended(user_id, ${key}::bigint) as place from (${eligibleMembers(guildId, policy, now)}) allowed)
    select (select count(*)::int from eligible) as eligible,
           array(select user_id from eligible order by place, user_id limit ${Math.max(0, count)}) as recipients`;
}

/**
 * Planned for one process: parallel workers would each rebuild the same inner
 * hash tables (three times the work for the bench's guild, and slower on a
 * small or busy server), where one process reading the indexes is quick enough.
 */
const ONE_PROCESS = sql`set local max_parallel_workers_per_gather = 0`;

/** `drawStatement`, run (in a transaction of its own, or a savepoint of the caller's, for ONE_PROCESS). */
export async function drawEligible(db: Queryable, guildId: string, policy: Policy, now: Date, count: number, seed: string): Promise<EligibleDraw> {
  const statement = drawStatement(guildId, policy, now, count, seed);
  const row = await db.transaction(async (tx) => {
    await tx.execute(ONE_PROCESS);
    return (await tx.execute<{ eligible: number; recipients: string[] }>(statement)).rows[0]!;
  });
  return { eligible: row.eligible, recipients: row.recipients };
}
