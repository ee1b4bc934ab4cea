/**
 * Reward roles, pure: which roles an inviter should hold, and whether the bot
 * may hand a role out at all (Discord's own rules, checked before trying so the
 * admin hears why, not just "Missing Permissions").
 */

export interface GuildRole {
  id: string;
  name: string;
  position: number;
  permissions: string;
  managed: boolean;
}

export interface Reward {
  roleId: string;
  invites: number;
}

const ADMINISTRATOR = 1n << 3n;
const MANAGE_ROLES = 1n << 28n;

export type RoleProblem =
  | { kind: "unknown_role" }
  | { kind: "everyone_role" }
  | { kind: "managed_role"; name: string }
  | { kind: "missing_manage_roles" }
  | { kind: "role_not_below_bot"; name: string; botTop: string };

/**
 * Why the bot cannot add or remove this role, or null. Discord requires Manage
 * Roles (or Administrator) from @everyone and the bot's roles, and the role to
 * sit strictly below the bot's highest role; nobody assigns a managed role.
 */
export function roleProblem(roleId: string, guildId: string, roles: readonly GuildRole[], botRoleIds: readonly string[]): RoleProblem | null {
  const role = roles.find((r) => r.id === roleId);
  if (!role) return { kind: "unknown_role" };
  if (role.id === guildId) return { kind: "everyone_role" };
  if (role.managed) return { kind: "managed_role", name: role.name };
  const mine = roles.filter((r) => r.id === guildId || botRoleIds.includes(r.id));
  const permissions = mine.reduce((bits, r) => bits | BigInt(r.permissions), 0n);
  if ((permissions & (ADMINISTRATOR | MANAGE_ROLES)) === 0n) return { kind: "missing_manage_roles" };
  const top = mine.reduce((a, b) => (b.position > a.position ? b : a));
  if (role.position >= top.position) return { kind: "role_not_below_bot", name: role.name, botTop: top.name };
  return null;
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
