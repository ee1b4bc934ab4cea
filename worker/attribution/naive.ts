// The naive diff most invite bots use, for the benchmark's comparison: one fetch
// per join, the first code whose count rose wins, else unknown.

export interface InviteCount {
  code: string;
  uses: number;
}

/** A code absent from `before` counts from 0. Returns null when nothing rose. */
export function naiveAttribute(before: readonly InviteCount[], after: readonly InviteCount[]): string | null {
  const baseline = new Map(before.map((i) => [i.code, i.uses]));
  return after.find((i) => i.uses > (baseline.get(i.code) ?? 0))?.code ?? null;
}
