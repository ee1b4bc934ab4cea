const PERIOD_MS = 5 * 60_000;
const SLOTS_PER_HOUR = 12;

/**
 * Whether a reconcile run (every 5 minutes) is the guild's hourly heartbeat: each
 * guild has one of the hour's twelve periods, from its id's timestamp bits, so
 * the wake-ups spread evenly over the hour.
 */
export function heartbeatDue(guildId: string, now: number): boolean {
  const slot = Number((BigInt(guildId) >> 22n) % BigInt(SLOTS_PER_HOUR));
  return slot === Math.floor(now / PERIOD_MS) % SLOTS_PER_HOUR;
}
