import { describe, expect, it } from "vitest";
import { planWave, PRIOR, type AutopilotInput } from "../../worker/invitations/autopilot";

const base: AutopilotInput = { targetPerWeek: 10, everyDays: 7, maxWaveSize: 1000, outstanding: 0, minted: 0, spent: 0, medianHoursToSpend: null };

describe("growth autopilot", () => {
  it.each<[string, Partial<AutopilotInput>, number]>([
    // 7 days against a 72 h median: 1 - 0.5^(168/72) = 0.801 of spends land in time; 10 / (0.25 × 0.801) = 49.9.
    ["cold start: nothing minted, the prior decides", {}, 50],
    // 5 / 120 expected spent: none of 100 spent pulls the rate down from the prior.
    ["a settled wave with nothing spent", { minted: 100, outstanding: 100 }, 200],
    ["no target: no wave", { targetPerWeek: 0 }, 0],
    ["the cap holds", { targetPerWeek: 1000 }, 1000],
    ["good history: half are spent within a day", { minted: 1000, spent: 500, medianHoursToSpend: 24 }, 21],
    ["outstanding invitations already cover the target", { minted: 1000, spent: 500, medianHoursToSpend: 24, outstanding: 40 }, 0],
    ["outstanding invitations cover part of it", { minted: 1000, spent: 500, medianHoursToSpend: 24, outstanding: 10 }, 11],
    ["slow spenders: a two-week median over a one-week horizon", { minted: 1000, spent: 500, medianHoursToSpend: 336 }, 69],
    ["a shorter interval needs a smaller wave", { minted: 1000, spent: 500, medianHoursToSpend: 24, everyDays: 1 }, 6],
  ])("%s", (_label, patch, size) => {
    expect(planWave({ ...base, ...patch }).size).toBe(size);
  });

  it("moves from the prior to the evidence as invitations are minted", () => {
    expect(planWave(base).spendRate).toBe(PRIOR.spendRate);
    expect(planWave({ ...base, minted: 10, spent: 10 }).spendRate).toBeCloseTo(0.5, 5);
    expect(planWave({ ...base, minted: 10_000, spent: 8_000 }).spendRate).toBeCloseTo(0.8, 2);
  });
});
