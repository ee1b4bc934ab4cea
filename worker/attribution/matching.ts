// Matching joins to increments. Each increment is a unit; a unit shown by a fetch
// answering at `seenAt`, and absent from the fetch started at `since`, belongs to
// a join that happened in between (widened by clock skew, and by count lag at the
// start). So each join is eligible to the units whose window holds its `joinedAt`.
// The question asked is the design's "never guess": if every ripe join's increment
// is among the units, which joins have the same code in every possible assignment?
import type { LedgerEntry } from "./types";

export interface Unit {
  code: string;
  kind: LedgerEntry["kind"];
  seenAt: number;
  since: number | null;
  claimedBy?: string;
  uncertain?: boolean;
}

export interface Window {
  clockSkewMs: number;
  countLagMs: number;
}

export function eligible(unit: Unit, joinedAt: number, w: Window): boolean {
  return unit.seenAt >= joinedAt - w.clockSkewMs && (unit.since === null || unit.since - w.countLagMs - w.clockSkewMs < joinedAt);
}

export function toUnits(entries: readonly LedgerEntry[]): Unit[] {
  return entries.flatMap((e) =>
    Array.from({ length: e.count }, () => {
      const unit: Unit = { code: e.code, kind: e.kind, seenAt: e.seenAt, since: e.since };
      if (e.claimedBy !== undefined) unit.claimedBy = e.claimedBy;
      if (e.uncertain) unit.uncertain = true;
      return unit;
    }),
  );
}

export function toEntries(units: readonly Unit[]): LedgerEntry[] {
  const byKey = new Map<string, LedgerEntry>();
  for (const u of units) {
    const key = JSON.stringify([u.kind, u.code, u.seenAt, u.since, u.claimedBy ?? null, u.uncertain ?? false]);
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else {
      const created: LedgerEntry = { code: u.code, count: 1, seenAt: u.seenAt, since: u.since, kind: u.kind };
      if (u.claimedBy !== undefined) created.claimedBy = u.claimedBy;
      if (u.uncertain) created.uncertain = true;
      byKey.set(key, created);
    }
  }
  return [...byKey.values()].sort((a, b) => a.seenAt - b.seenAt || a.code.localeCompare(b.code));
}

/**
 * One unit per join, or null when impossible. Windows are intervals and joins
 * points, so taking joins in time order and giving each the eligible unit whose
 * window closes first finds a complete assignment whenever one exists.
 */
export function assign(joinedAts: readonly number[], units: readonly Unit[], w: Window): Unit[] | null {
  const order = joinedAts.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const free = new Set(units);
  const result: Unit[] = new Array(joinedAts.length);
  for (const [t, i] of order) {
    let best: Unit | undefined;
    for (const u of free) if (eligible(u, t, w) && (best === undefined || u.seenAt < best.seenAt)) best = u;
    if (best === undefined) return null;
    free.delete(best);
    result[i] = best;
  }
  return result;
}

/** Codes join `index` has in at least one complete assignment. */
export function possibleCodes(joinedAts: readonly number[], index: number, units: readonly Unit[], w: Window): string[] {
  const t = joinedAts[index] as number;
  const others = joinedAts.filter((_, i) => i !== index);
  const codes = new Set<string>();
  for (const u of units) {
    if (codes.has(u.code) || !eligible(u, t, w)) continue;
    if (assign(others, units.filter((v) => v !== u), w)) codes.add(u.code);
  }
  return [...codes];
}
