// Matching joins to increments. Each increment is a unit; a unit seen by a fetch at
// `seenAt` can only belong to a join that happened before it (clock skew allowed),
// so each join's eligible units are those seen at or after `joinedAt - skew`.
// The question asked is the design's "never guess": under the assumption that every
// ripe join's increment is among the units, which joins have the same code in
// every possible assignment?
import type { LedgerEntry } from "./types";

export interface Unit {
  code: string;
  kind: LedgerEntry["kind"];
  seenAt: number;
}

export function toUnits(entries: readonly LedgerEntry[]): Unit[] {
  return entries.flatMap((e) => Array.from({ length: e.count }, () => ({ code: e.code, kind: e.kind, seenAt: e.seenAt })));
}

export function toEntries(units: readonly Unit[]): LedgerEntry[] {
  const byKey = new Map<string, LedgerEntry>();
  for (const u of units) {
    const key = `${u.kind}\u0000${u.code}\u0000${u.seenAt}`;
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { code: u.code, count: 1, seenAt: u.seenAt, kind: u.kind });
  }
  return [...byKey.values()].sort((a, b) => a.seenAt - b.seenAt || a.code.localeCompare(b.code));
}

/**
 * Whether every join (given by its eligibility threshold: units with
 * `seenAt >= threshold`) can get its own unit. Eligible sets are nested, so Hall's
 * condition reduces to: the k most demanding joins have at least k units.
 */
export function feasible(thresholds: readonly number[], units: readonly Unit[]): boolean {
  const ts = [...thresholds].sort((a, b) => b - a);
  const seen = units.map((u) => u.seenAt).sort((a, b) => b - a);
  let available = 0;
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k] as number;
    while (available < seen.length && (seen[available] as number) >= t) available++;
    if (available < k + 1) return false;
  }
  return true;
}

/**
 * The unit of `code` a join with this threshold should take: the earliest-seen
 * eligible one, since later units are eligible to more joins.
 */
export function pickUnit(units: readonly Unit[], code: string, threshold: number): number {
  let best = -1;
  units.forEach((u, i) => {
    if (u.code === code && u.seenAt >= threshold && (best < 0 || u.seenAt < (units[best] as Unit).seenAt)) best = i;
  });
  return best;
}

/** Codes join `index` has in at least one assignment that gives every join a unit. */
export function possibleCodes(thresholds: readonly number[], index: number, units: readonly Unit[]): string[] {
  const threshold = thresholds[index] as number;
  const others = thresholds.filter((_, i) => i !== index);
  const codes = [...new Set(units.filter((u) => u.seenAt >= threshold).map((u) => u.code))];
  return codes.filter((code) => {
    const taken = pickUnit(units, code, threshold);
    return feasible(
      others,
      units.filter((_, i) => i !== taken),
    );
  });
}
