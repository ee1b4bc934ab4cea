/**
 * The ledger of counted uses (pure): every increment a snapshot counts becomes one
 * row, and every code whose uses can no longer be counted an "uncounted" row.
 * Snapshots say exactly how many joins each code had between two instants, even
 * where no join can be named, so totals by source are summed from these rows.
 */
import type { Snapshot, Timeline } from "../attribution";

/**
 * How a use was counted: a rise of an invite's `uses` between two snapshots; a
 * single-use invite that vanished when used; the vanity URL's own count; a rise
 * the cron's reconcile found (the object refetched because of it); or uses that
 * cannot be counted (an invite deleted or expired between two snapshots).
 */
export const COUNTED_HOWS = ["snapshot", "vanish", "vanity", "reconcile", "uncounted"] as const;
export type CountedHow = (typeof COUNTED_HOWS)[number];

export interface LedgerRow {
  code: string;
  /** Null for an uncounted row: nobody can say how many. */
  uses: number | null;
  how: CountedHow;
  /** The interval of Discord's time the uses happened in: after the previous snapshot was sent, before this one answered. */
  countedFrom: number | null;
  countedAt: number;
}

export interface LedgerInput {
  snapshot: Snapshot;
  /** When the series' previous snapshot was sent; null for its first (a baseline counts nothing). */
  previousAt: number | null;
  /** Codes the invite list held at this snapshot: a counted code missing from it vanished when used. */
  listed: ReadonlySet<string>;
  /** The fetch was asked for by the cron's reconcile, which found drift. */
  reconcile: boolean;
}

/** The ledger rows one snapshot adds. Keyed by (code, countedAt): a snapshot written twice adds nothing. */
export function ledgerRows({ snapshot, previousAt, listed, reconcile }: LedgerInput): LedgerRow[] {
  // The first snapshot of a series is the baseline: uses before it belong to no interval.
  if (previousAt === null) return [];
  const interval = { countedFrom: previousAt, countedAt: snapshot.answeredAt };
  const howCounted = (code: string): CountedHow => {
    if (snapshot.series === "vanity") return "vanity";
    if (!listed.has(code)) return "vanish";
    return reconcile ? "reconcile" : "snapshot";
  };
  const counted = Object.entries(snapshot.increments)
    .filter(([, uses]) => uses > 0)
    .map(([code, uses]): LedgerRow => ({ code, uses, how: howCounted(code), ...interval }));
  const uncounted = snapshot.uncertain.map((code): LedgerRow => ({ code, uses: null, how: "uncounted", ...interval }));
  return [...counted, ...uncounted].sort((a, b) => a.code.localeCompare(b.code));
}

/** The series' snapshots a fetch added to the timeline, each with the ledger rows it counts. */
export function fetchLedgerRows(
  before: Pick<Timeline, "snapshots" | "cachedAt">,
  after: Pick<Timeline, "snapshots">,
  listed: ReadonlySet<string>,
  reconcile: boolean,
): LedgerRow[] {
  const previousAt = (series: Snapshot["series"]) =>
    before.snapshots.findLast((s) => s.series === series)?.startedAt ?? (series === "invites" ? before.cachedAt : null);
  return after.snapshots
    .slice(before.snapshots.length)
    .flatMap((snapshot) => ledgerRows({ snapshot, previousAt: previousAt(snapshot.series), listed, reconcile }));
}
