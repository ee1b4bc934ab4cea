import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countedUseDailyCounts, invites, inviteSources, joinDailyCounts } from "../../schema";
import type { Db } from "../../worker/db";
import { dailySourceRows, type DailySourceRow } from "../../worker/store/daily-sources";
import { withDb } from "./support/db";

const GUILD = "870000000000000001";

/** The query as it stood before it summed each day once: the reference the rewrite must agree with. */
async function previousDefinition(db: Db, guildId: string, firstDay: string): Promise<DailySourceRow[]> {
  const result = await db.execute<DailySourceRow>(sql`
    with uses as (
      select c.day, i.source_id, sum(c.uses)::int as uses from counted_use_daily_counts c
        join invites i on i.guild_id = c.guild_id and i.code = c.code
       where c.guild_id = ${guildId} and c.day >= ${firstDay}::date and i.source_id is not null group by 1, 2),
    named as (
      select day, source_id, sum(joins)::int as joins from join_daily_counts
       where guild_id = ${guildId} and day >= ${firstDay}::date and source_id is not null group by 1, 2),
    sourced as (
      select coalesce(u.day, n.day) as day, coalesce(u.source_id, n.source_id) as source_id, greatest(coalesce(u.uses, 0), coalesce(n.joins, 0)) as joins
        from uses u full join named n on n.day = u.day and n.source_id = u.source_id),
    totals as (select day, sum(joins)::int as joins from join_daily_counts where guild_id = ${guildId} and day >= ${firstDay}::date group by day)
    select d.day::text as day, d.source_id, s.name, d.joins::int as joins from sourced d left join invite_sources s on s.id = d.source_id where d.joins > 0
    union all
    select t.day::text, null, null, greatest(0, t.joins - coalesce((select sum(x.joins) from sourced x where x.day = t.day), 0))::int from totals t`);
  return result.rows.map((r) => ({ ...r, joins: Number(r.joins) })).filter((r) => r.joins > 0);
}

const order = (rows: DailySourceRow[]) => [...rows].sort((a, b) => a.day.localeCompare(b.day) || (a.source_id ?? 0) - (b.source_id ?? 0));

describe("dailySourceRows", () => {
  it("gives the same rows as its previous definition: uses above named joins, named joins above uses, days with no source at all, more sourced than counted", async () => {
    await withDb(async (db) => {
      const [a, b] = await db
        .insert(inviteSources)
        .values([{ guildId: GUILD, name: "Reddit" }, { guildId: GUILD, name: "Twitter" }])
        .returning({ id: inviteSources.id });
      await db.insert(invites).values([
        { code: "dsA1", guildId: GUILD, sourceId: a!.id },
        { code: "dsB1", guildId: GUILD, sourceId: b!.id },
        { code: "dsX1", guildId: GUILD },
      ]);
      const day = (d: number) => `2026-11-${String(d).padStart(2, "0")}`;
      await db.insert(joinDailyCounts).values([
        // Before the first day: left out.
        { guildId: GUILD, day: day(1), sourceId: a!.id, kind: "source", joins: 9 },
        { guildId: GUILD, day: day(3), sourceId: a!.id, kind: "source", joins: 2 },
        { guildId: GUILD, day: day(3), sourceId: b!.id, kind: "source", joins: 5 },
        { guildId: GUILD, day: day(3), sourceId: null, kind: "unlabelled", joins: 4 },
        { guildId: GUILD, day: day(4), sourceId: null, kind: "vanity", joins: 3 },
        { guildId: GUILD, day: day(5), sourceId: b!.id, kind: "source", joins: 1 },
        { guildId: GUILD, day: day(6), sourceId: b!.id, kind: "source", joins: 1 },
        { guildId: GUILD, day: day(6), sourceId: null, kind: "gap", joins: 2 },
        { guildId: GUILD, day: day(7), sourceId: null, kind: "no_invite", joins: 3 },
      ]);
      await db.insert(countedUseDailyCounts).values([
        { guildId: GUILD, day: day(3), code: "dsA1", how: "diff", uses: 6, uncounted: 0 },
        { guildId: GUILD, day: day(3), code: "dsX1", how: "diff", uses: 7, uncounted: 0 },
        // Uses counted for a source on a day its joins were not named, and more than the day's joins.
        { guildId: GUILD, day: day(4), code: "dsA1", how: "diff", uses: 2, uncounted: 0 },
        { guildId: GUILD, day: day(5), code: "dsB1", how: "diff", uses: 4, uncounted: 1 },
      ]);
      const now = order(await dailySourceRows(db, GUILD, day(2)));
      expect(now).toEqual(order(await previousDefinition(db, GUILD, day(2))));
      expect(now).toEqual([
        { day: day(3), source_id: a!.id, name: "Reddit", joins: 6 },
        { day: day(3), source_id: b!.id, name: "Twitter", joins: 5 },
        { day: day(4), source_id: null, name: null, joins: 1 },
        { day: day(4), source_id: a!.id, name: "Reddit", joins: 2 },
        { day: day(5), source_id: b!.id, name: "Twitter", joins: 4 },
        { day: day(6), source_id: null, name: null, joins: 2 },
        { day: day(6), source_id: b!.id, name: "Twitter", joins: 1 },
        { day: day(7), source_id: null, name: null, joins: 3 },
      ]);
    });
  });
});
