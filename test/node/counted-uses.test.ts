import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../worker/attribution";
import { disagreements, fetchLedgerRows, ledgerRows, sourceOfCandidates, windowTotals, type DayCounts, type Disagreement, type LedgerRow, type WindowCounts, type WindowTotals } from "../../worker/counted-uses";

const snap = (series: Snapshot["series"], startedAt: number, increments: Record<string, number>, uncertain: string[] = []): Snapshot => ({
  series,
  startedAt,
  answeredAt: startedAt + 50,
  increments,
  uncertain,
});
const row = (code: string, uses: number | null, how: LedgerRow["how"], countedFrom = 1_000, countedAt = 2_050): LedgerRow => ({ code, uses, how, countedFrom, countedAt });

describe("ledgerRows: one snapshot's counted uses", () => {
  it.each<[string, Parameters<typeof ledgerRows>[0], LedgerRow[]]>([
    ["a rise between two snapshots", { snapshot: snap("invites", 2_000, { a: 3 }), previousAt: 1_000, listed: new Set(["a"]), reconcile: false }, [row("a", 3, "snapshot")]],
    ["the first snapshot is a baseline: nothing", { snapshot: snap("invites", 2_000, { a: 3 }, ["b"]), previousAt: null, listed: new Set(["a"]), reconcile: false }, []],
    ["a single-use invite gone from the list vanished when used", { snapshot: snap("invites", 2_000, { s: 1 }), previousAt: 1_000, listed: new Set(), reconcile: false }, [row("s", 1, "vanish")]],
    ["the vanity URL's own count", { snapshot: snap("vanity", 2_000, { cool: 2 }), previousAt: 1_000, listed: new Set(), reconcile: false }, [row("cool", 2, "vanity")]],
    ["a fetch the reconcile asked for", { snapshot: snap("invites", 2_000, { a: 2 }), previousAt: 1_000, listed: new Set(["a"]), reconcile: true }, [row("a", 2, "reconcile")]],
    [
      "an invite deleted in between: uncounted, with its code",
      { snapshot: snap("invites", 2_000, { a: 1 }, ["gone"]), previousAt: 1_000, listed: new Set(["a"]), reconcile: false },
      [row("a", 1, "snapshot"), row("gone", null, "uncounted")],
    ],
    ["no increment, nothing", { snapshot: snap("invites", 2_000, {}), previousAt: 1_000, listed: new Set(["a"]), reconcile: false }, []],
  ])("%s", (_what, input, expected) => {
    expect(ledgerRows(input)).toEqual(expected);
  });

  it("takes only the snapshots a fetch added, each series from its own previous snapshot", () => {
    const before = { cachedAt: 1_000, snapshots: [snap("invites", 1_000, {}), snap("vanity", 1_010, {})] };
    const after = { snapshots: [...before.snapshots, snap("invites", 2_000, { a: 1 }), snap("vanity", 2_010, { v: 4 })] };
    expect(fetchLedgerRows(before, after, new Set(["a"]), false)).toEqual([row("a", 1, "snapshot", 1_000, 2_050), row("v", 4, "vanity", 1_010, 2_060)]);
  });
});

const counts = (patch: Partial<WindowCounts>): WindowCounts => ({
  sources: [],
  vanityUses: 0,
  unlabelledUses: 0,
  joins: 0,
  uncountedCandidates: 0,
  gapJoins: 0,
  ...patch,
});
const totals = (patch: Partial<WindowTotals>): WindowTotals => ({ sources: [], vanity: 0, unlabelled: 0, uncounted: 0, noInvite: 0, gap: 0, ...patch });

describe("windowTotals: sources from counted uses, the rest by cause", () => {
  it.each<[string, WindowCounts, WindowTotals]>([
    [
      "a burst over three sources with Discovery: totals from the counts, named beside",
      counts({ sources: [{ sourceId: 1, uses: 7, named: 2 }, { sourceId: 2, uses: 3, named: 0 }], joins: 12 }),
      totals({ sources: [{ sourceId: 1, joins: 7, named: 2 }, { sourceId: 2, joins: 3, named: 0 }], noInvite: 2 }),
    ],
    [
      "vanity and unlabelled invites from their own counts",
      counts({ vanityUses: 4, unlabelledUses: 1, joins: 6 }),
      totals({ vanity: 4, unlabelled: 1, noInvite: 1 }),
    ],
    [
      "a deleted invite's joins are uncounted, not moved-no-invite",
      counts({ sources: [{ sourceId: 1, uses: 1, named: 1 }], joins: 3, uncountedCandidates: 2 }),
      totals({ sources: [{ sourceId: 1, joins: 1, named: 1 }], uncounted: 2 }),
    ],
    [
      "uncounted candidates beyond what the counts leave unexplained are not double counted",
      counts({ sources: [{ sourceId: 1, uses: 2, named: 0 }], joins: 3, uncountedCandidates: 3 }),
      totals({ sources: [{ sourceId: 1, joins: 2, named: 0 }], uncounted: 1 }),
    ],
    [
      "relay gap joins are their own row",
      counts({ sources: [{ sourceId: 1, uses: 2, named: 0 }], joins: 5, gapJoins: 1 }),
      totals({ sources: [{ sourceId: 1, joins: 2, named: 0 }], noInvite: 2, gap: 1 }),
    ],
    [
      "joins lost before they were recorded: the counts still give the sources, nothing is negative",
      counts({ sources: [{ sourceId: 1, uses: 5, named: 1 }], joins: 3 }),
      totals({ sources: [{ sourceId: 1, joins: 5, named: 1 }] }),
    ],
    [
      "named joins the ledger never counted (history before it): a source shows at least what it named",
      counts({ sources: [{ sourceId: 1, uses: 0, named: 4 }, { sourceId: 2, uses: 0, named: 0 }], joins: 4 }),
      totals({ sources: [{ sourceId: 1, joins: 4, named: 4 }] }),
    ],
  ])("%s", (_what, input, expected) => {
    expect(windowTotals(input)).toEqual(expected);
  });
});

describe("sourceOfCandidates: a join named by source when only the code is in doubt", () => {
  const labels: Record<string, string> = { r1: "Reddit", r2: "Reddit", y1: "YouTube" };
  const sourceOf = (code: string) => labels[code] ?? null;
  it.each<[string, string[], boolean, string | null]>([
    ["all candidates one source", ["r1", "r2"], true, "Reddit"],
    ["one candidate", ["r1"], true, "Reddit"],
    ["two sources", ["r1", "y1"], true, null],
    ["an unlabelled candidate (or the vanity URL) among them", ["r1", "vanity"], true, null],
    ["moving nothing still possible (Discovery)", ["r1", "r2"], false, null],
    ["no candidate", [], true, null],
  ])("%s", (_what, candidates, through, expected) => {
    expect(sourceOfCandidates(candidates, through, sourceOf)).toBe(expected);
  });
});

describe("disagreements: each day's joins against its counts", () => {
  const day = (d: string, joins: number, counted: number, noInvite = 0, explained = 0): DayCounts => ({ day: d, joins, counted, noInvite, explained });
  it.each<[string, DayCounts[], Disagreement[]]>([
    ["counts and joins agree", [day("12-01", 10, 8, 2), day("12-02", 5, 5)], []],
    ["joins the counts missed (a missed snapshot, a code never cached)", [day("12-01", 10, 6, 1)], [{ day: "12-01", unexplained: 3 }]],
    ["uses no join owns (joins the relay lost)", [day("12-01", 4, 6)], [{ day: "12-01", unexplained: -2 }]],
    ["an uncounted invite explains the difference", [day("12-01", 10, 6, 1, 3)], []],
    ["an interval across midnight: one day's surplus is the next day's shortfall", [day("12-01", 5, 4), day("12-02", 5, 6)], []],
    ["a shortfall the next day does not cancel", [day("12-01", 5, 3), day("12-02", 5, 5), day("12-03", 2, 2)], [{ day: "12-01", unexplained: 2 }]],
  ])("%s", (_what, days, expected) => {
    expect(disagreements(days)).toEqual(expected);
  });
});
