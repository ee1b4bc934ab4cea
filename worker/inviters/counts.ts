/**
 * Who gets credit for a join, and how it counts. Pure: no I/O. The database
 * queries that count at scale (worker/inviters/store.ts) follow these rules,
 * and the integration tests hold the two to the same table.
 *
 * - An unresolved join counts for nobody: nothing is guessed. Unless every one
 *   of its candidate codes is the same member's invite and it surely came through
 *   one of them: then that member invited it, whichever code it was.
 * - A join with no personal inviter (a source's invite made by the bot, the
 *   vanity URL, Discovery) counts for nobody either.
 * - A counted join is exactly one of: fake (a rejoin, a self-invite, or an
 *   account younger than the guild's limit), left (the member is gone), or
 *   staying. So `regular - fake - left` is the joins that stay.
 * - A staying member who has not yet stayed the guild's stay period
 *   (`count_after_days`) is pending: shown, not counted, until then.
 */

/** Discord's epoch (2015-01-01T00:00:00Z): a snowflake's top 42 bits are milliseconds since it. */
const DISCORD_EPOCH = 1_420_070_400_000n;
export const DAY_MS = 86_400_000;

/** When the account (or any object) with this snowflake was created, in ms since 1970. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export interface CountPolicy {
  /** Accounts younger than this many days when they join are fake. */
  fakeAccountAgeDays: number;
  /** A join counts for its inviter once the member has stayed this many days. */
  countAfterDays: number;
}

export const DEFAULT_POLICY: CountPolicy = { fakeAccountAgeDays: 7, countAfterDays: 0 };
export const FAKE_ACCOUNT_AGE_DAYS = { min: 0, max: 365 } as const;

export interface CountedJoin {
  userId: string;
  /** The join's inviter (see `inviterOf`); null when nobody personally invited them. */
  inviterId: string | null;
  /** Whether the join's inviter is certain (see `inviterCertain`). */
  resolved: boolean;
  joinedAt: number;
  /** Discord's DID_REJOIN flag, or an earlier join of this member that the bot recorded. */
  isRejoin: boolean;
  /** Whether the member is still in the server. */
  present: boolean;
}

export type FakeReason = "self_invite" | "rejoin" | "young_account";

export type JoinCredit =
  | { kind: "nobody"; why: "unresolved" | "no_inviter" }
  | { kind: "fake"; inviterId: string; reason: FakeReason }
  | { kind: "left"; inviterId: string }
  | { kind: "pending"; inviterId: string }
  | { kind: "regular"; inviterId: string };

export interface InviterFacts {
  invitationInviterId: string | null;
  inviteInviterId: string | null;
  /**
   * Who made every candidate invite of a join whose code is in doubt, when it surely
   * came through one of them and one account made them all; null otherwise.
   */
  candidatesInviterId: string | null;
}

/**
 * The inviter of a join: the invitation's inviter for a join through one,
 * otherwise whoever created the invite (or, the code in doubt, all its
 * candidates), unless that was the bot (a source's link belongs to nobody in particular).
 */
export function inviterOf(join: InviterFacts, botUserId: string): string | null {
  if (join.invitationInviterId !== null) return join.invitationInviterId;
  const creator = join.inviteInviterId ?? join.candidatesInviterId;
  return creator !== null && creator !== botUserId ? creator : null;
}

/** Whether a join's inviter is known: it is named, or its candidates are all one account's. */
export function inviterCertain(join: { method: string; candidatesInviterId: string | null }): boolean {
  return join.method !== "unresolved" || join.candidatesInviterId !== null;
}

/** Why a join is fake, or null. A self-invite outranks a rejoin, which outranks a young account. */
export function fakeReason(join: Pick<CountedJoin, "userId" | "inviterId" | "joinedAt" | "isRejoin">, policy: CountPolicy): FakeReason | null {
  if (join.inviterId !== null && join.inviterId === join.userId) return "self_invite";
  if (join.isRejoin) return "rejoin";
  if (join.joinedAt - snowflakeTime(join.userId) < policy.fakeAccountAgeDays * DAY_MS) return "young_account";
  return null;
}

/** How a join counts at `now`: fake outranks left, which outranks pending. */
export function creditFor(join: CountedJoin, policy: CountPolicy, now: number): JoinCredit {
  if (!join.resolved) return { kind: "nobody", why: "unresolved" };
  if (join.inviterId === null) return { kind: "nobody", why: "no_inviter" };
  const reason = fakeReason(join, policy);
  if (reason !== null) return { kind: "fake", inviterId: join.inviterId, reason };
  if (!join.present) return { kind: "left", inviterId: join.inviterId };
  const pending = policy.countAfterDays > 0 && now - join.joinedAt < policy.countAfterDays * DAY_MS;
  return pending ? { kind: "pending", inviterId: join.inviterId } : { kind: "regular", inviterId: join.inviterId };
}

export interface InviteCounts {
  /** Every join credited to the inviter. */
  regular: number;
  /** Of those, members who have left (and were not fake). */
  left: number;
  /** Of those, rejoins, self-invites and young accounts. */
  fake: number;
  /** The sum of admins' adjustments. */
  bonus: number;
  /** Members who stay but have not stayed the stay period yet: in none of the above. */
  pending: number;
}

export const ZERO_COUNTS: InviteCounts = { regular: 0, left: 0, fake: 0, bonus: 0, pending: 0 };

/** What rankings go by: the joins that stay, plus bonus. */
export const totalInvites = (c: InviteCounts) => c.regular - c.fake - c.left + c.bonus;

/** Counts per inviter for a set of joins and bonus rows. */
export function tally(
  joins: readonly CountedJoin[],
  bonuses: readonly { userId: string; amount: number }[],
  policy: CountPolicy,
  now: number,
): Map<string, InviteCounts> {
  const counts = new Map<string, InviteCounts>();
  const of = (id: string) => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { ...ZERO_COUNTS }));
    return c;
  };
  for (const join of joins) {
    const credit = creditFor(join, policy, now);
    if (credit.kind === "nobody") continue;
    const c = of(credit.inviterId);
    if (credit.kind === "pending") {
      c.pending++;
      continue;
    }
    c.regular++;
    if (credit.kind === "fake") c.fake++;
    if (credit.kind === "left") c.left++;
  }
  for (const bonus of bonuses) of(bonus.userId).bonus += bonus.amount;
  return counts;
}

/**
 * The leaderboard's order, as `rankedCounts` ranks in SQL: by total, then
 * regular joins, then the older account; excluded members (`/invite exclude`)
 * are left out. Inviters with nothing counted (only pending joins) are not ranked.
 */
export function ranking(counts: ReadonlyMap<string, InviteCounts>, excluded: ReadonlySet<string>): Array<{ userId: string } & InviteCounts> {
  return [...counts]
    .filter(([userId, c]) => !excluded.has(userId) && (c.regular !== 0 || c.bonus !== 0))
    .map(([userId, c]) => ({ userId, ...c }))
    .sort((a, b) => totalInvites(b) - totalInvites(a) || b.regular - a.regular || (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1));
}
