import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, inviteSources } from "../../schema";
import type { Db } from "../../worker/db";
import { unattributedBreakdown } from "../../worker/store/join-breakdown";
import { joinKind } from "../../worker/store/join-kind";
import { windowCounts } from "../../worker/store/window-counts";
import { withDb } from "./support/db";

const GUILD = "880000000000000001";
const HOUR = 3_600_000;
const base = Date.parse("2026-11-10T00:00:00Z");
const at = (hours: number, minutes = 0) => new Date(base + hours * HOUR + minutes * 60_000);

type Join = typeof inviteJoins.$inferInsert;
let user = 881_000_000_000_000_000n;
const join = (when: Date, fields: Partial<Join>): Join => ({ guildId: GUILD, userId: String(user++), joinedAt: when, method: "diff", ...fields });

/** Counts from raw joins, each row the way the reports see it. */
const raw = (db: Db, grain: "hour" | "day", guild = GUILD) =>
  db.execute<{ bucket: string; source_id: number | null; kind: string; joins: number }>(sql`
    select to_char(date_trunc(${grain}, joined_at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD HH24') as bucket, source_id,
           ${joinKind()} as kind, count(*)::int as joins
      from invite_joins where guild_id = ${guild} group by 1, 2, 3 order by 1, 2, 3`);
const rolled = (db: Db, grain: "hour" | "day", guild = GUILD) =>
  grain === "hour"
    ? db.execute(sql`
        select to_char(hour at time zone 'UTC', 'YYYY-MM-DD HH24') as bucket, source_id, kind, joins from join_hourly_counts
         where guild_id = ${guild} and joins <> 0 order by 1, 2, 3`)
    : db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') || ' 00' as bucket, source_id, kind, joins from join_daily_counts
         where guild_id = ${guild} and joins <> 0 order by 1, 2, 3`);

/** The windows the reports ask for: open-ended from mid-hour, closed weeks, a day, an hour, across midnight. */
const WINDOWS: Array<[Date, Date | undefined]> = [
  [at(0), undefined],
  [at(5, 17), undefined],
  [at(30, 45), undefined],
  [at(5, 17), at(52, 3)],
  [at(23, 30), at(25, 10)],
  [at(47, 10), at(47, 50)],
  [at(24), at(48)],
];

async function expectRollupsEqualRaw(db: Db, guild = GUILD) {
  for (const grain of ["hour", "day"] as const) expect((await rolled(db, grain, guild)).rows).toEqual((await raw(db, grain, guild)).rows);
  for (const [since, until] of WINDOWS) {
    const fromRollups = await db.execute<{ source_id: number | null; kind: string; joins: number }>(sql`
      select source_id, kind, sum(joins)::int as joins from (${windowCounts(guild, since, until)}) c group by 1, 2 having sum(joins) <> 0 order by 1, 2`);
    const fromRaw = await db.execute(sql`
      select source_id, ${joinKind()} as kind, count(*)::int as joins from invite_joins
       where guild_id = ${guild} and joined_at >= ${since.toISOString()}::timestamptz
         ${until ? sql`and joined_at < ${until.toISOString()}::timestamptz` : sql``}
       group by 1, 2 order by 1, 2`);
    expect(fromRollups.rows, `window ${since.toISOString()} → ${until?.toISOString() ?? "now"}`).toEqual(fromRaw.rows);
  }
}

describe("the join rollups (hourly and daily, by source and kind)", () => {
  it("stay equal to a count of raw joins through inserts, late resolutions, source moves and deletes, for every window", async () => {
    await withDb(async (db) => {
      const [a, b] = await db.insert(inviteSources).values([{ guildId: GUILD, name: "A" }, { guildId: GUILD, name: "B" }]).returning();
      const steps: Array<[string, () => Promise<unknown>]> = [
        [
          "a burst across hours and midnights, every kind",
          () =>
            db.insert(inviteJoins).values([
              join(at(0, 0), { sourceId: a!.id }),
              join(at(5, 16), { sourceId: a!.id }),
              join(at(5, 17), { sourceId: b!.id }),
              join(at(5, 59), { method: "unresolved", candidates: ["x", "y"] }),
              join(at(23, 59), { method: "vanity", inviteCode: "vanity1" }),
              join(at(24, 0), { method: "unresolved", candidates: [] }),
              join(at(25, 5), { method: "unresolved", candidates: ["x"], reason: "missed" }),
              join(at(30, 44), { method: "diff", inviteCode: "nolabel" }),
              join(at(30, 45), { method: "unresolved", candidates: ["x", "y"] }),
              join(at(47, 30), { sourceId: b!.id }),
              join(at(52, 2), { method: "unresolved", candidates: ["y", "z"] }),
            ]),
        ],
        [
          "unresolved joins resolved later (member search, elimination)",
          () =>
            db
              .update(inviteJoins)
              .set({ method: "exact", sourceId: a!.id, candidates: null })
              .where(and(eq(inviteJoins.guildId, GUILD), eq(inviteJoins.method, "unresolved"), sql`cardinality(${inviteJoins.candidates}) = 2`)),
        ],
        ["a source given by hand to a join of another", () => db.update(inviteJoins).set({ sourceId: b!.id, method: "manual" }).where(and(eq(inviteJoins.guildId, GUILD), eq(inviteJoins.inviteCode, "nolabel")))],
        ["a relay gap found later", () => db.update(inviteJoins).set({ reason: "gap" }).where(and(eq(inviteJoins.guildId, GUILD), sql`cardinality(${inviteJoins.candidates}) = 0`))],
        ["an update that moves nothing", () => db.update(inviteJoins).set({ isRejoin: true }).where(eq(inviteJoins.guildId, GUILD))],
        ["deletes", () => db.delete(inviteJoins).where(and(eq(inviteJoins.guildId, GUILD), inArray(inviteJoins.method, ["vanity", "manual"])))],
      ];
      for (const [what, step] of steps) {
        await step();
        await expectRollupsEqualRaw(db).catch((error: unknown) => {
          throw new Error(`after "${what}": ${error instanceof Error ? error.message : String(error)}`);
        });
      }
    });
  });

  it("rebuilds a guild's rollups in one pass from its joins, as bulk loads do, and the breakdown names the latest vanity code", async () => {
    await withDb(async (db) => {
      const guild = "880000000000000002";
      await db.execute(sql`alter table invite_joins disable trigger invite_joins_rollup_insert`);
      try {
        await db.insert(inviteJoins).values([
          { ...join(at(1, 30), { method: "vanity", inviteCode: "old" }), guildId: guild },
          { ...join(at(3, 30), { method: "vanity", inviteCode: "new" }), guildId: guild },
          { ...join(at(3, 31), { method: "unresolved", candidates: ["p", "q"] }), guildId: guild },
        ]);
      } finally {
        await db.execute(sql`alter table invite_joins enable trigger invite_joins_rollup_insert`);
      }
      expect((await unattributedBreakdown(db, guild, at(0))).counts.vanity).toBe(0);
      await db.execute(sql`select rebuild_join_rollups(${guild})`);
      const breakdown = await unattributedBreakdown(db, guild, at(0));
      expect(breakdown).toMatchObject({ counts: { vanity: 2, ambiguous: 1, no_invite: 0, gap: 0, unlabelled: 0 }, vanityCode: "new" });
      // Only the raw partial hours at the ends of a closed window: here [01:00, 03:00) is all hours.
      expect((await unattributedBreakdown(db, guild, at(1), at(3))).counts.vanity).toBe(1);
    });
  });

  it("counts a join through the guild's vanity code as vanity however it was resolved, also one recorded before the code was learned", async () => {
    await withDb(async (db) => {
      const guild = "880000000000000003";
      const [source] = await db.insert(inviteSources).values({ guildId: guild, name: "Labelled" }).returning();
      const of = (fields: Partial<Join>) => ({ ...join(at(2, 10), fields), guildId: guild });
      await db.insert(inviteJoins).values([
        of({ method: "exact", inviteCode: "lounge" }),
        of({ method: "diff", inviteCode: "lounge" }),
        of({ method: "exact", inviteCode: "plain" }),
        of({ method: "exact", inviteCode: "labelled", sourceId: source!.id }),
        of({ method: "unresolved", candidates: ["lounge", "plain"] }),
      ]);
      expect((await unattributedBreakdown(db, guild, at(0))).counts).toMatchObject({ vanity: 0, unlabelled: 3 });

      // The guild's object learns the code (GUILD_CREATE): the joins already counted move.
      await db.execute(sql`select learn_vanity_code(${guild}, 'lounge')`);
      await expectRollupsEqualRaw(db, guild);
      expect(await unattributedBreakdown(db, guild, at(0))).toMatchObject({ counts: { vanity: 2, unlabelled: 1, ambiguous: 1 }, vanityCode: "lounge" });

      // Later verdicts through it: a new exact join, and member search resolving the ambiguous one.
      await db.insert(inviteJoins).values(of({ method: "exact", inviteCode: "lounge" }));
      await db.update(inviteJoins).set({ method: "exact", inviteCode: "lounge", candidates: null }).where(and(eq(inviteJoins.guildId, guild), eq(inviteJoins.method, "unresolved")));
      await db.execute(sql`select learn_vanity_code(${guild}, 'lounge')`);
      await expectRollupsEqualRaw(db, guild);
      expect((await unattributedBreakdown(db, guild, at(0))).counts).toMatchObject({ vanity: 4, unlabelled: 1, ambiguous: 0 });
    });
  });
});
