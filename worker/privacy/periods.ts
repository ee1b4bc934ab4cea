/**
 * How long data is kept, from deployment variables (a removed bot cannot be
 * reached by `/invite settings`). Pure: unset, empty or not a whole number of
 * days falls back to the default rather than purging at once.
 */
export const DEFAULT_PURGE_GRACE_DAYS = 30;
export const DEFAULT_NAME_RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

export function daysSetting(configured: string | undefined, fallback: number): number {
  const trimmed = configured?.trim() ?? "";
  const days = Number(trimmed);
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(days) ? days : fallback;
}

/** Servers the bot left before this are purged (GUILD_PURGE_GRACE_DAYS, default 30). */
export const purgeCutoff = (env: { GUILD_PURGE_GRACE_DAYS?: string }, now: Date) =>
  new Date(now.getTime() - daysSetting(env.GUILD_PURGE_GRACE_DAYS, DEFAULT_PURGE_GRACE_DAYS) * DAY_MS);

/** Members who left before this lose their names (MEMBER_NAME_RETENTION_DAYS, default 365). */
export const nameCutoff = (env: { MEMBER_NAME_RETENTION_DAYS?: string }, now: Date) =>
  new Date(now.getTime() - daysSetting(env.MEMBER_NAME_RETENTION_DAYS, DEFAULT_NAME_RETENTION_DAYS) * DAY_MS);
