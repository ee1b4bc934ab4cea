/**
 * Who may receive an invitation in a wave: pure rules over what the database
 * knows of each member (no I/O). Postgres applies the same rules to draw a wave
 * (./eligible.ts), and the tests hold the two to one table. Every policy also passes over bots, members
 * who left, and members still holding a live invitation, so a member never
 * holds two at once.
 */
import type { Messages } from "../i18n/messages";

export const POLICY_NAMES = ["unspent", "never", "spent_since", "rewarded"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface Policy {
  name: PolicyName;
  /** Days: membership age (never), time since the last spend (spent_since), invitees' stay (rewarded). */
  minDays: number;
}

export const DAY_MS = 86_400_000;
export const MIN_DAYS_MAX = 3650;

/** An invitee: when they joined through the invitation and when they left (null: still here). */
export interface Invitee {
  joinedAt: number;
  leftAt: number | null;
}

export interface MemberFacts {
  userId: string;
  joinedAt: number;
  leftAt: number | null;
  bot: boolean;
  /** Invitations neither spent, revoked nor expired. */
  liveInvitations: number;
  /** Invitations ever minted for them, whatever became of them. */
  invitationsEver: number;
  /** When their latest invitation was spent; null when it was not (or they have none). */
  lastSpentAt: number | null;
  invitees: Invitee[];
}

export function isPolicyName(value: unknown): value is PolicyName {
  return typeof value === "string" && (POLICY_NAMES as readonly string[]).includes(value);
}

/** Reads a stored or typed policy; null when it is not one. */
export function parsePolicy(value: unknown): Policy | null {
  if (typeof value !== "object" || value === null) return null;
  const { name, minDays } = value as { name?: unknown; minDays?: unknown };
  if (!isPolicyName(name)) return null;
  if (typeof minDays !== "number" || !Number.isInteger(minDays) || minDays < 0 || minDays > MIN_DAYS_MAX) return null;
  return { name, minDays };
}

export function isEligible(member: MemberFacts, policy: Policy, now: number): boolean {
  if (member.bot || member.leftAt !== null || member.liveInvitations > 0) return false;
  const cutoff = now - policy.minDays * DAY_MS;
  switch (policy.name) {
    case "unspent":
      return true;
    case "never":
      return member.invitationsEver === 0 && member.joinedAt <= cutoff;
    case "spent_since":
      return member.lastSpentAt !== null && member.lastSpentAt <= cutoff;
    case "rewarded": {
      // Only invitees who have been here min_days can have proved anything.
      const settled = member.invitees.filter((i) => i.joinedAt <= cutoff);
      const stayed = (i: Invitee) => i.leftAt === null || i.leftAt - i.joinedAt >= policy.minDays * DAY_MS;
      return settled.length > 0 && settled.every(stayed);
    }
  }
}

/** What each policy means, for dry runs and /invite waves. */
export function describePolicy(policy: Policy, m: Messages): string {
  switch (policy.name) {
    case "unspent":
      return m.t("policy.unspent");
    case "never":
      return m.t("policy.never", { days: policy.minDays });
    case "spent_since":
      return m.t("policy.spent_since", { days: policy.minDays });
    case "rewarded":
      return m.t("policy.rewarded", { days: policy.minDays });
  }
}
