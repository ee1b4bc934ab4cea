const DEFAULT_BASE_S = 30;
const MAX_DELAY_S = 15 * 60;

/**
 * Seconds before a failed guild job's next attempt, after `attempts` tries: the
 * configured base (GUILD_JOBS_RETRY_DELAY_S; 30 when unset or not a number),
 * doubled per attempt, capped at 15 minutes (the Queue allows 12 hours).
 */
export function retryDelaySeconds(configured: string | undefined, attempts: number): number {
  const base = Number(configured);
  const seconds = configured !== undefined && configured.trim() !== "" && Number.isFinite(base) && base >= 0 ? base : DEFAULT_BASE_S;
  return Math.min(MAX_DELAY_S, seconds * 2 ** Math.max(0, attempts - 1));
}
