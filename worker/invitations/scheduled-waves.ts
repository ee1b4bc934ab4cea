import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { planWave } from "./autopilot";
import { mintWave, type MintResult } from "./mint";
import { DAY_MS, isPolicyName, type Policy } from "./policy";
import { waveStats } from "./wave-stats";

export interface WavePlanInput {
  guildId: string;
  waveSize: number;
  growthTarget: number | null;
  waveEveryDays: number;
}

/**
 * The size of a guild's next scheduled wave: wave_size, or with a growth
 * target, the autopilot's size capped by wave_size. The autopilot learns from
 * waves old enough to have had their chance (one interval).
 */
export async function scheduledWaveSize(db: Db, settings: WavePlanInput, now: Date) {
  if (!settings.growthTarget) return { size: settings.waveSize, plan: null };
  const waves = await waveStats(db, settings.guildId, now, 1000);
  const settledBefore = now.getTime() - settings.waveEveryDays * DAY_MS;
  const settled = waves.filter((w) => w.createdAt.getTime() <= settledBefore);
  const spent = settled.reduce((n, w) => n + w.spent, 0);
  const medians = settled.filter((w) => w.medianHoursToSpend !== null).map((w) => w.medianHoursToSpend!);
  const plan = planWave({
    targetPerWeek: settings.growthTarget,
    everyDays: settings.waveEveryDays,
    maxWaveSize: settings.waveSize,
    outstanding: waves.reduce((n, w) => n + w.outstanding, 0),
    minted: settled.reduce((n, w) => n + w.minted, 0),
    spent,
    medianHoursToSpend: medians.length > 0 ? medians.sort((a, b) => a - b)[Math.floor(medians.length / 2)]! : null,
  });
  return { size: plan.size, plan };
}

/** Guilds with scheduled waves whose last wave is at least wave_every_days old (over invitation_settings). */
export const waveDue = (now: Date) =>
  sql`wave_size > 0 and (last_wave_at is null or last_wave_at <= ${now.toISOString()}::timestamptz - make_interval(days => wave_every_days))`;

/**
 * Mints the guild's scheduled wave if it is due. The slot is claimed first, so
 * two overlapping runs (a retried queue message) mint it once.
 */
export async function runDueWave(db: Db, guildId: string, now: Date): Promise<MintResult | null> {
  const claimed = await db.execute<{
    wave_size: number;
    wave_policy: string;
    wave_min_days: number;
    wave_every_days: number;
    expires_days: number;
    growth_target: number | null;
  }>(sql`
    update invitation_settings set last_wave_at = ${now.toISOString()}::timestamptz
     where guild_id = ${guildId} and ${waveDue(now)}
    returning wave_size, wave_policy, wave_min_days, wave_every_days, expires_days, growth_target`);
  const row = claimed.rows[0];
  if (!row || !isPolicyName(row.wave_policy)) return null;
  const policy: Policy = { name: row.wave_policy, minDays: row.wave_min_days };
  const { size } = await scheduledWaveSize(db, { guildId, waveSize: row.wave_size, growthTarget: row.growth_target, waveEveryDays: row.wave_every_days }, now);
  if (size === 0) return null;
  return mintWave(db, { guildId, policy, count: size, expiresDays: row.expires_days, createdBy: null, dryRun: false, now });
}
