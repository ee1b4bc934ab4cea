import { ADMINISTRATOR, MANAGE_GUILD } from "./definitions";

/**
 * `default_member_permissions` only hides the command; an admin can override
 * that per role, so the handler checks the invoking member's own permissions.
 */
export function canManageGuild(permissions: string | undefined): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  const bits = BigInt(permissions);
  return (bits & ADMINISTRATOR) !== 0n || (bits & MANAGE_GUILD) !== 0n;
}
