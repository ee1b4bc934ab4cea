/**
 * The simulator's one source of chance (latencies, stragglers, mixed joins),
 * seeded so a run can be played again: mulberry32, small and good enough for
 * timing noise. Ids and invite codes stay on node:crypto; they need no replay.
 */
import { randomInt } from "node:crypto";

export type Range = readonly [min: number, max: number];

export class Random {
  private state: number;

  constructor(readonly seed: number = randomInt(2 ** 31)) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** Uniform in [min, max]; a degenerate range draws nothing, so [0, 0] leaves the sequence untouched. */
  between([min, max]: Range): number {
    return max <= min ? min : min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }
}
