import { sql } from "drizzle-orm";
import { windowTotals, type WindowTotals } from "../counted-uses";
import type { Queryable } from "../db";
import { countedWindow } from "./counted-window";
import { windowCounts } from "./window-counts";

export interface SourceTotalsReport {
  totals: WindowTotals;
  /** Names of the sources in `totals` (a retired one keeps its name). */
  names: Map<number, { name: string; retired: boolean }>;
  /** The vanity code counted in the window, when any was. */
  vanityCode: string | null;
}

type Part = "uses" | "named" | "joins" | "uncounted_candidates" | "vanity_code";

/**
 * The window's totals as reports show them (worker/counted-uses/totals.ts): each
 * source's counted uses, its codes' source being the one they have now, beside
 * its named joins; the joins without a source by cause. One round trip.
 */
export async function sourceTotals(db: Queryable, guildId: string, since: Date, until?: Date): Promise<SourceTotalsReport> {
  const before = until ? sql`and joined_at < ${until.toISOString()}::timestamptz` : sql``;
  const result = await db.execute<{ part: Part; source_id: number | null; label: string | null; n: string; name: string | null; retired: boolean | null }>(sql`
    with u as (${countedWindow(guildId, since, until)}),
    j as (${windowCounts(guildId, since, until)}),
    coded as (select u.code, u.how, u.uses, u.uncounted, i.source_id from u left join invites i on i.guild_id = ${guildId} and i.code = u.code),
    uncounted as (select coalesce(array_agg(code), '{}') as codes from coded where uncounted > 0),
    parts as (
      select 'uses' as part, source_id, how as label, sum(uses)::bigint as n from coded where uses > 0 group by source_id, how
      union all select 'named', source_id, null, sum(joins)::bigint from j where kind = 'source' group by source_id
      union all select 'joins', null, kind, sum(joins)::bigint from j group by kind
      union all select 'vanity_code', null, max(code), 0 from coded where how = 'vanity'
      -- Joins that may have used an invite whose last uses were never counted (it vanished first);
      -- the window's joins are not read at all when no invite vanished so (a one-time filter).
      union all select 'uncounted_candidates', null, null, count(*)::bigint from invite_joins
       where cardinality((select codes from uncounted)) > 0
         and guild_id = ${guildId} and joined_at >= ${since.toISOString()}::timestamptz ${before}
         and source_id is null and method = 'unresolved' and candidates && (select codes from uncounted))
    select p.part, p.source_id, p.label, p.n, s.name, s.retired_at is not null as retired
      from parts p left join invite_sources s on s.id = p.source_id`);
  const bySource = new Map<number, { uses: number; named: number }>();
  const names = new Map<number, { name: string; retired: boolean }>();
  const counts = { vanityUses: 0, unlabelledUses: 0, joins: 0, uncountedCandidates: 0, gapJoins: 0 };
  let vanityCode: string | null = null;
  for (const r of result.rows) {
    const n = Number(r.n);
    const source = r.source_id === null ? null : (bySource.get(r.source_id) ?? { uses: 0, named: 0 });
    if (source && r.source_id !== null) {
      bySource.set(r.source_id, source);
      if (r.name !== null) names.set(r.source_id, { name: r.name, retired: r.retired ?? false });
    }
    switch (r.part) {
      case "uses":
        if (r.label === "vanity") counts.vanityUses += n;
        else if (source) source.uses += n;
        else counts.unlabelledUses += n;
        break;
      case "named":
        if (source) source.named += n;
        break;
      case "joins":
        counts.joins += n;
        if (r.label === "gap") counts.gapJoins += n;
        break;
      case "uncounted_candidates":
        counts.uncountedCandidates = n;
        break;
      case "vanity_code":
        vanityCode = r.label;
        break;
    }
  }
  const sources = [...bySource].map(([sourceId, s]) => ({ sourceId, ...s }));
  return { totals: windowTotals({ ...counts, sources }), names, vanityCode };
}
