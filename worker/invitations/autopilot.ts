/**
 * The growth autopilot: how large the next wave should be to bring about
 * `targetPerWeek` joins, given the invitations still outstanding and how
 * invitations have fared so far. Pure.
 */

export interface AutopilotInput {
  /** Joins per week wanted. */
  targetPerWeek: number;
  /** Days until the wave after this one: the horizon this wave has to fill. */
  everyDays: number;
  /** The cap: never more than this in one wave. */
  maxWaveSize: number;
  /** Invitations still spendable now. */
  outstanding: number;
  /** Over past waves: invitations minted and spent, and the median hours from mint to spend (null: none spent). */
  minted: number;
  spent: number;
  medianHoursToSpend: number | null;
}

export interface AutopilotPlan {
  size: number;
  /** The share of invitations expected to be spent (observed, pulled towards the prior while evidence is thin). */
  spendRate: number;
  /** The share of those spends expected within the horizon. */
  withinHorizon: number;
  /** Joins expected from the invitations already out. */
  expectedFromOutstanding: number;
  /** Joins the new wave has to bring. */
  needed: number;
}

/** Before evidence: one invitation in four is spent, half of those within three days. */
export const PRIOR = { spendRate: 0.25, weight: 20, medianHours: 72 } as const;

export function planWave(input: AutopilotInput): AutopilotPlan {
  // A beta prior worth `weight` invitations: the cold start uses the prior, plenty of history overrides it.
  const spendRate = (input.spent + PRIOR.spendRate * PRIOR.weight) / (input.minted + PRIOR.weight);
  const median = input.medianHoursToSpend ?? PRIOR.medianHours;
  const horizonHours = input.everyDays * 24;
  // Spends modelled as decaying exponentially with the observed median.
  const withinHorizon = median <= 0 ? 1 : 1 - 0.5 ** (horizonHours / median);
  const wanted = (input.targetPerWeek * input.everyDays) / 7;
  const expectedFromOutstanding = input.outstanding * spendRate * withinHorizon;
  const needed = Math.max(0, wanted - expectedFromOutstanding);
  const perInvitation = spendRate * withinHorizon;
  const size = needed === 0 || perInvitation <= 0 ? 0 : Math.min(input.maxWaveSize, Math.ceil(needed / perInvitation));
  return { size: Math.max(0, size), spendRate, withinHorizon, expectedFromOutstanding, needed };
}
