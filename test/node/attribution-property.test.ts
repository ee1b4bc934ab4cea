// Properties of the attribution module over whole simulated guilds (bench/lib/attribution-des):
// REST answers read somewhere inside 40–300 ms, gateway events late but in order (some
// seconds late), joins that move nothing, count lag, lost sessions. Whatever happens,
// no join is given a wrong code, and every join that arrived gets a verdict.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SHAPES, simulate, type DesConfig } from "../../bench/lib/attribution-des";

const world = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  shape: fc.constantFrom(...SHAPES),
  noneShare: fc.constantFrom(0, 0.1, 0.3, 0.6),
  stragglerShare: fc.constantFrom(0, 0.02, 0.2),
  lag: fc.constantFrom(0, 250, 1_000),
  lostSessions: fc.constantFrom(0, 0, 2),
  worldSkewMs: fc.constantFrom(0, 50, 100),
});

describe("attribution over simulated guilds", () => {
  it("never names a wrong code, and judges every join it heard of", () => {
    fc.assert(
      fc.property(world, (w) => {
        const config: DesConfig = {
          seed: w.seed,
          joins: 300,
          shape: w.shape,
          noneShare: w.noneShare,
          stragglerShare: w.stragglerShare,
          worldLagMs: w.lag,
          worldSkewMs: w.worldSkewMs,
          lostSessions: w.lostSessions,
          options: { countLagMs: w.lag },
        };
        const result = simulate(config);
        expect(result.wrongs).toEqual([]);
        expect(result.unjudged).toBe(0);
        if (w.lostSessions === 0) expect(result.lost).toBe(0);
      }),
      { numRuns: 60, seed: 20261123 },
    );
  }, 120_000);

  it.each([
    ["paced joins with nothing moving no invite", { shape: "paced_10s", noneShare: 0 }, 0.8],
    ["a burst on one invite", { shape: "burst_one", noneShare: 0 }, 0.9],
    ["a raid", { shape: "raid", noneShare: 0 }, 0.9],
  ] as const)("decides most joins when the counts allow it: %s", (_, shape, floor) => {
    const result = simulate({ seed: 7, joins: 500, ...shape });
    expect(result.wrong).toBe(0);
    expect(result.correct / result.codeJoins).toBeGreaterThanOrEqual(floor);
  });

  it("with member search answering, every code join ends with its code", () => {
    const result = simulate({ seed: 3, joins: 500, shape: "paced_1s", noneShare: 0.3 });
    expect(result.exactCorrect).toBe(result.codeJoins);
  });
});
