/**
 * Whether a role may be handed out through the bot, pure: Discord's own rules,
 * checked before anything is written so the admin hears why. The bot must be
 * able to give it (its permissions and position), and so must the member who
 * asks: the bot gives roles on their behalf and must never give one they could
 * not give themselves.
 */

export interface GuildRole {
  id: string;
  name: string;
  position: number;
  permissions: string;
  managed: boolean;
}

/** The server as the check needs it: @everyone's id is the guild's. */
export interface GuildFacts {
  id: string;
  ownerId: string;
  roles: readonly GuildRole[];
}

/** The member who runs the command: their user id and role ids, from the signed interaction. */
export interface Invoker {
  userId: string;
  roleIds: readonly string[];
}

const ADMINISTRATOR = 1n << 3n;
const MANAGE_ROLES = 1n << 28n;

export type RoleProblem =
  | { kind: "unknown_role" }
  | { kind: "everyone_role" }
  | { kind: "managed_role"; name: string }
  | { kind: "missing_manage_roles" }
  | { kind: "role_not_below_bot"; name: string; botTop: string }
  | { kind: "invoker_missing_manage_roles" }
  | { kind: "role_not_below_invoker"; name: string; invokerTop: string }
  | { kind: "role_permissions_invoker_lacks"; name: string; administrator: boolean };

/** Discord's order: by position, and at equal positions the older role (smaller id) is higher. */
const isHigher = (a: GuildRole, b: GuildRole) => (a.position !== b.position ? a.position > b.position : BigInt(a.id) < BigInt(b.id));

/** The roles a holder of `roleIds` has (always @everyone), their permissions combined, and the highest. */
function holdings(guild: Omit<GuildFacts, "ownerId">, roleIds: readonly string[]) {
  const held = guild.roles.filter((r) => r.id === guild.id || roleIds.includes(r.id));
  return {
    permissions: held.reduce((bits, r) => bits | BigInt(r.permissions), 0n),
    top: held.reduce<GuildRole | undefined>((a, b) => (a === undefined || isHigher(b, a) ? b : a), undefined),
  };
}

const canManageRoles = (permissions: bigint) => (permissions & (ADMINISTRATOR | MANAGE_ROLES)) !== 0n;

/** Whether the bot has Manage Roles (or Administrator) at all: what marking invites takes. */
export const botManagesRoles = (guild: Omit<GuildFacts, "ownerId">, botRoleIds: readonly string[]) => canManageRoles(holdings(guild, botRoleIds).permissions);

/**
 * Why the bot cannot add or remove this role, or null. Discord requires Manage
 * Roles (or Administrator) from @everyone and the bot's roles, and the role to
 * sit strictly below the bot's highest role; nobody assigns a managed role.
 */
export function roleProblem(roleId: string, guild: Omit<GuildFacts, "ownerId">, botRoleIds: readonly string[]): RoleProblem | null {
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role) return { kind: "unknown_role" };
  if (role.id === guild.id) return { kind: "everyone_role" };
  if (role.managed) return { kind: "managed_role", name: role.name };
  const bot = holdings(guild, botRoleIds);
  if (!canManageRoles(bot.permissions)) return { kind: "missing_manage_roles" };
  if (!bot.top || !isHigher(bot.top, role)) return { kind: "role_not_below_bot", name: role.name, botTop: bot.top?.name ?? "@everyone" };
  return null;
}

/**
 * Why the invoking member may not have the bot give this role, or null: the
 * rule Discord applies to people. The owner may give any role. Anyone else
 * needs Manage Roles or Administrator, the role strictly below their own
 * highest role, and (without Administrator) no permission on it they lack.
 * Permissions come from the member's roles, not the interaction's
 * `member.permissions`: that one is computed for the channel, where an
 * overwrite's bit 28 means Manage Permissions, not Manage Roles.
 */
export function invokerRoleProblem(roleId: string, guild: GuildFacts, invoker: Invoker): RoleProblem | null {
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role) return { kind: "unknown_role" };
  if (invoker.userId === guild.ownerId) return null;
  const mine = holdings(guild, invoker.roleIds);
  if (!canManageRoles(mine.permissions)) return { kind: "invoker_missing_manage_roles" };
  if (!mine.top || !isHigher(mine.top, role)) return { kind: "role_not_below_invoker", name: role.name, invokerTop: mine.top?.name ?? "@everyone" };
  const lacking = (mine.permissions & ADMINISTRATOR) !== 0n ? 0n : BigInt(role.permissions) & ~mine.permissions;
  if (lacking !== 0n) return { kind: "role_permissions_invoker_lacks", name: role.name, administrator: (lacking & ADMINISTRATOR) !== 0n };
  return null;
}
