/**
 * Whether the bot may hand a role out at all (Discord's own rules, checked
 * before trying so the admin hears why, not just "Missing Permissions"). Pure.
 */

export interface GuildRole {
  id: string;
  name: string;
  position: number;
  permissions: string;
  managed: boolean;
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
