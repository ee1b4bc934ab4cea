import { sql, type SQL } from "drizzle-orm";
import { inviterBonuses } from "../../schema";
import type { Queryable } from "../db";
import { memberNameSql } from "../members/names";
import { ZERO_COUNTS, type CountPolicy, type FakeReason, type InviteCounts } from "./counts";

/**
 * Invite counts in Postgres, following the rules of ./counts.ts (the tests
 * check both against one table): a join's inviter is its invitation's inviter,
 * else its invite's creator (or, its code in doubt, its candidates' one creator)
 * unless that is the bot; other unresolved joins count for nobody; fake outranks left.
 */

export interface CountScope {
  guildId: string;
  botUserId: string;
  policy: CountPolicy;
  /** Joins (and bonus rows) from this instant on; null for all time. */
  since: Date | null;
  /** …and before this one (a past season's end); null for up to now. */
  until: Date | null;
  /** Which joins have stayed the stay period (`policy.countAfterDays`) is judged at this instant. */
  now: Date;
}

/** `since`/`until` on a timestamp column. */
const inWindow = (scope: Pick<CountScope, "since" | "until">, column: SQL) => sql`
  ${scope.since === null ? sql`` : sql`and ${column} >= ${scope.since.toISOString()}::timestamptz`}
  ${scope.until === null ? sql`` : sql`and ${column} < ${scope.until.toISOString()}::timestamptz`}`;

/**
 * Every credited join in scope with its inviter, fake reason and whether the
 * member has gone. `only` narrows to one inviter through the indexes on their
 * invites' codes and invitations, so a member's counts do not read the guild.
 */
function creditedJoins(scope: CountScope, only?: string): SQL {
  // Three index-driven parts (joins through their invites' codes, through their invitations, and
  // joins whose candidates are all their invites), not one OR, which would read every join of the guild.
  const narrow =
    only === undefined
      ? sql``
      : sql`and j.id in (select id from invite_joins
                          where guild_id = ${scope.guildId}
                            and invite_code in (select code from invites where guild_id = ${scope.guildId} and inviter_id = ${only})
                         union all
                         select id from invite_joins
                          where guild_id = ${scope.guildId} and invitation_id is not null
                            and invitation_id in (select id from invitations where guild_id = ${scope.guildId} and inviter_id = ${only})
                         union all
                         select id from invite_joins
                          where guild_id = ${scope.guildId} and candidates_inviter_id = ${only})`;
  return sql`
    select f.*, ${scope.policy.countAfterDays}::int > 0 and f.fake_reason is null and not f.gone
                and f.joined_at > ${scope.now.toISOString()}::timestamptz - make_interval(days => ${scope.policy.countAfterDays}) as pending
      from (select c.*, ${fakeReason(scope.policy)} as fake_reason
              from (select j.id, j.user_id, j.joined_at, j.is_rejoin, j.invite_code, ${inviterOfJoin(scope.botUserId)} as inviter_id,
                           m.left_at is not null as gone, m.left_at
                      ${joinsWithInviters}
                     where j.guild_id = ${scope.guildId} and ${inviterCertain} ${inWindow(scope, sql`j.joined_at`)} ${narrow}) c
             where c.inviter_id is not null ${only === undefined ? sql`` : sql`and c.inviter_id = ${only}`}) f`;
}

/** invite_joins `j` with what decides its inviter (`inv`, `i`) and whether the member stayed (`m`). */
export const joinsWithInviters = sql`
  from invite_joins j
  left join invitations inv on inv.id = j.invitation_id
  left join invites i on i.code = j.invite_code
  left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id`;

/** `inviterOf` in SQL: the invitation's inviter, else the invite's (or the candidates') creator unless that is the bot. */
const inviterOfJoin = (botUserId: string) => sql`coalesce(inv.inviter_id, nullif(coalesce(i.inviter_id, j.candidates_inviter_id), ${botUserId}))`;

/** `inviterCertain` in SQL, over a join `j`. */
const inviterCertain = sql`(j.method <> 'unresolved' or j.candidates_inviter_id is not null)`;

/** The inviter of any join `j` (null when it is not certain: that join counts for nobody), over `joinsWithInviters`. */
export const joinInviter = (botUserId: string) => sql`case when ${inviterCertain} then ${inviterOfJoin(botUserId)} end`;

/**
 * When the account with snowflake `id` was created (ms since 2015-01-01 in its top bits). The
 * division is float8's, not numeric's: the same instant (each rounds the exact quotient once),
 * at a fraction of the cost on every join a count reads.
 */
export const accountCreatedAt = (id: SQL) => sql`to_timestamp(((${id}::bigint >> 22) + 1420070400000)::float8 / 1000)`;

/** `fakeReason` in SQL, over a row `c` with user_id, inviter_id, is_rejoin and joined_at. */
const fakeReason = (policy: CountPolicy) => sql`
  case when c.inviter_id = c.user_id then 'self_invite'
       when c.is_rejoin then 'rejoin'
       when ${accountCreatedAt(sql`c.user_id`)} > c.joined_at - make_interval(days => ${policy.fakeAccountAgeDays}) then 'young_account'
  end`;

/**
 * Every join in scope (resolved or not) as the export's columns, oldest first,
 * with the member's and the inviter's last seen names (nickname, else display name, else username).
 * A departure belongs to the member's latest join only: an earlier stay ended
 * before the rejoin, at a time the bot did not record.
 */
export function exportQuery(scope: CountScope): SQL {
  return sql`
    select c.user_id as member, c.member_name, c.joined_at, c.left_at, s.name as source, c.invite_code as code, c.method, c.inviter_id as inviter,
           ${memberNameSql("mi")} as inviter_name, ${fakeReason(scope.policy)} as fake
      from (select j.id, j.user_id, j.joined_at, j.is_rejoin, j.invite_code, j.method, j.source_id,
                   ${joinInviter(scope.botUserId)} as inviter_id, ${memberNameSql("m")} as member_name,
                   case when m.joined_at = j.joined_at then m.left_at end as left_at
              ${joinsWithInviters}
             where j.guild_id = ${scope.guildId} ${inWindow(scope, sql`j.joined_at`)}) c
      left join invite_sources s on s.id = c.source_id
      left join members mi on mi.guild_id = ${scope.guildId} and mi.user_id = c.inviter_id
     order by c.joined_at, c.id`;
}

function countsPerInviter(scope: CountScope, only?: string): SQL {
  const bonusOnly = only === undefined ? sql`` : sql`and user_id = ${only}`;
  return sql`
    with joins as (
      select inviter_id, count(*) filter (where not pending) as regular,
             count(*) filter (where fake_reason is not null) as fake,
             count(*) filter (where fake_reason is null and gone) as left_count,
             count(*) filter (where pending) as pending
        from (${creditedJoins(scope, only)}) credited
       group by inviter_id
    ), bonus as (
      select user_id, sum(amount) as bonus from inviter_bonuses
       where guild_id = ${scope.guildId} ${inWindow(scope, sql`created_at`)} ${bonusOnly}
       group by user_id
    )
    select coalesce(j.inviter_id, b.user_id) as user_id,
           coalesce(j.regular, 0)::int as regular, coalesce(j.fake, 0)::int as fake,
           coalesce(j.left_count, 0)::int as left_count, coalesce(b.bonus, 0)::int as bonus,
           coalesce(j.pending, 0)::int as pending
      from joins j full join bonus b on b.user_id = j.inviter_id`;
}

interface CountRow {
  user_id: string;
  regular: number;
  fake: number;
  left_count: number;
  bonus: number;
  pending: number;
  [key: string]: unknown;
}
const toCounts = (r: CountRow): InviteCounts => ({ regular: r.regular, left: r.left_count, fake: r.fake, bonus: r.bonus, pending: r.pending });

export async function inviterCounts(db: Queryable, scope: CountScope, userId: string): Promise<InviteCounts> {
  const result = await db.execute<CountRow>(countsPerInviter(scope, userId));
  const row = result.rows[0];
  return row ? toCounts(row) : { ...ZERO_COUNTS };
}

export interface LeaderboardPage {
  rows: Array<{ userId: string } & InviteCounts>;
  /** Inviters with any count in scope. */
  inviters: number;
}

/**
 * Every inviter with their rank, as `ranking` (./counts.ts) ranks: by total (regular - fake - left + bonus),
 * then regular joins, then the older account; members excluded by `/invite exclude` and inviters with
 * nothing counted yet (only pending joins) are left out.
 */
export function rankedCounts(scope: CountScope): SQL {
  return sql`
    select *, row_number() over (order by regular - fake - left_count + bonus desc, regular desc, user_id::bigint)::int as rank
      from (${countsPerInviter(scope)}) counts
     where (regular <> 0 or bonus <> 0)
       and user_id not in (select user_id from inviter_exclusions where guild_id = ${scope.guildId})`;
}

/** The first `limit` inviters in scope with their counts, ranked as the leaderboard ranks them. */
export async function topInviters(db: Queryable, scope: CountScope, limit: number): Promise<Array<{ userId: string } & InviteCounts>> {
  const result = await db.execute<CountRow>(sql`select * from (${rankedCounts(scope)}) ranked where rank <= ${limit} order by rank`);
  return result.rows.map((r) => ({ userId: r.user_id, ...toCounts(r) }));
}

export interface Invitee {
  userId: string;
  joinedAt: Date;
  leftAt: Date | null;
  fakeReason: FakeReason | null;
  /** Still within the stay period: not counted yet. */
  pending: boolean;
}

/** An inviter's latest credited joins, newest first. */
export async function latestInvitees(db: Queryable, scope: CountScope, inviterId: string, limit: number): Promise<Invitee[]> {
  const result = await db.execute<{ user_id: string; joined_at: string; left_at: string | null; fake_reason: FakeReason | null; pending: boolean }>(sql`
    select user_id, joined_at, left_at, fake_reason, pending from (${creditedJoins(scope, inviterId)}) credited
     order by joined_at desc, id desc limit ${limit}`);
  return result.rows.map((r) => ({
    userId: r.user_id,
    joinedAt: new Date(r.joined_at),
    leftAt: r.left_at === null ? null : new Date(r.left_at),
    fakeReason: r.fake_reason,
    pending: r.pending,
  }));
}

export async function addBonus(db: Queryable, row: typeof inviterBonuses.$inferInsert) {
  const [inserted] = await db.insert(inviterBonuses).values(row).returning();
  return inserted!;
}

/** All the uses the ledger counted on a member's own invites (from its daily rollup), whoever the joiners were. */
export async function countedUsesOfInviter(db: Queryable, guildId: string, inviterId: string): Promise<number> {
  const result = await db.execute<{ uses: string }>(sql`
    select coalesce(sum(c.uses), 0)::bigint as uses from counted_use_daily_counts c
      join invites i on i.guild_id = c.guild_id and i.code = c.code
     where c.guild_id = ${guildId} and i.inviter_id = ${inviterId}`);
  return Number(result.rows[0]?.uses ?? 0);
}
