/** Scores what the Worker recorded against the simulator's truth: per scenario and in total. */
import type { JoinRecord } from "../../simulator/state";
import type { PlayRequest } from "../../simulator/play";

export interface Step extends PlayRequest {
  scenario: string;
}

export interface RecordedJoin {
  user_id: string;
  invite_code: string | null;
  method: string;
  source: string | null;
}

export interface Totals {
  joins_played: number;
  recorded: number;
  correct: number;
  wrong: number;
  unresolved: number;
  accuracy: number;
  /** Correct verdicts the diff reached on its own (diff, vanity), and through Discord's member search (exact). */
  by_diff: number;
  by_member_search: number;
  /** Correct because the bot added the member itself ("Join with Discord", method oauth). */
  by_join_with_discord: number;
  /** Correct from the role the invite gave on accept (its mark, method role). */
  by_mark: number;
}

const COLUMNS = ["played", "recorded", "correct", "wrong", "unresolved", "by mark", "by diff", "by oauth"] as const;

export function scoreJoins(played: Array<JoinRecord & { scenario: string }>, recorded: RecordedJoin[]): { totals: Totals; table: string } {
  const byUser = new Map(recorded.map((r) => [r.user_id, r]));
  const rows = new Map<string, Record<(typeof COLUMNS)[number], number>>();
  const row = (name: string) => {
    let found = rows.get(name);
    if (!found) rows.set(name, (found = { played: 0, recorded: 0, correct: 0, wrong: 0, unresolved: 0, "by mark": 0, "by diff": 0, "by oauth": 0 }));
    return found;
  };
  for (const truth of played) {
    for (const r of [row(truth.scenario), row("total")]) {
      r.played++;
      const got = byUser.get(truth.user_id);
      if (!got) continue;
      r.recorded++;
      // Unresolved is honest ("one of these"); a wrong code is the failure that matters.
      if (got.method === "unresolved") r.unresolved++;
      else if (got.invite_code === truth.invite_code) {
        r.correct++;
        if (got.method === "diff" || got.method === "vanity") r["by diff"]++;
        if (got.method === "oauth") r["by oauth"]++;
        if (got.method === "role") r["by mark"]++;
      } else r.wrong++;
    }
  }
  const total = rows.get("total")!;
  rows.delete("total");
  rows.set("total", total); // last
  const lines = [["scenario", ...COLUMNS], ...[...rows].map(([name, r]) => [name, ...COLUMNS.map((c) => String(r[c]))])];
  const table = lines.map((cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(12) : cell.padStart(11))).join("")).join("\n");
  return {
    table,
    totals: {
      joins_played: total.played,
      recorded: total.recorded,
      correct: total.correct,
      wrong: total.wrong,
      unresolved: total.unresolved,
      accuracy: total.played === 0 ? 0 : Number((total.correct / total.played).toFixed(3)),
      by_diff: total["by diff"],
      by_join_with_discord: total["by oauth"],
      by_mark: total["by mark"],
      by_member_search: total.correct - total["by diff"] - total["by oauth"] - total["by mark"],
    },
  };
}
