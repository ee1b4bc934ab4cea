/** Reward roles, pure: which roles an inviter should hold (whether a role may be given at all: roles/grant-policy.ts). */

export interface Reward {
  roleId: string;
  invites: number;
}

/**
 * The roles to grant (reached and not held) and to take back (held, no longer
 * reached, and only when the guild asked for it).
 */
export function rewardChanges(total: number, rewards: readonly Reward[], held: readonly string[], removeOnDrop: boolean) {
  const due = new Set(rewards.filter((r) => total >= r.invites).map((r) => r.roleId));
  return {
    grant: [...due].filter((id) => !held.includes(id)),
    revoke: removeOnDrop ? rewards.map((r) => r.roleId).filter((id) => !due.has(id) && held.includes(id)) : [],
  };
}
