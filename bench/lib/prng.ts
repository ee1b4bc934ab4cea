// One seeded generator for the benches, so a run (and a failing case) can be replayed:
// the simulator's mulberry32, with the draws the benches need.
import { Random } from "../../simulator/random";

export function prng(seed: number) {
  const random = new Random(seed);
  const next = () => random.next();
  /** Uniform integer in [0, n). */
  const below = (n: number) => Math.floor(next() * n);
  /** Uniform integer in [min, max]. */
  const int = (min: number, max: number) => min + below(max - min + 1);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  return { next, below, int, pick };
}
