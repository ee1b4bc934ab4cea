import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countedUses, invitations, inviteJoins, inviteSources, invites, joinDailyCounts, members, type CountedUse } from "../../schema";
import { sourceNameKey } from "../../worker/sources/names";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runInvite } from "./support/interactions";

const DAY = 86_400_000;

async function newGuild(name: string) {
  const guild = await fakeDiscord.createGuild({ name });
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id } };
}

async function seedSources(guildId: string, names: string[]) {
  return withDb((db) => db.insert(inviteSources).values(names.map((name) => ({ guildId, name }))).returning());
}

/** Ledger rows as the guild's object writes them, each counted in the interval ending at `at`. */
async function seedLedger(guildId: string, rows: Array<{ code: string; uses: number | null; at: number; how?: CountedUse["how"] }>) {
  await withDb((db) =>
    db.insert(countedUses).values(rows.map((r) => ({ guildId, code: r.code, uses: r.uses, how: r.how ?? "snapshot", countedFrom: new Date(r.at - 5_000), countedAt: new Date(r.at) }))),
  );
}

let userCounter = 500_000_000_000_000_000n;
const nextUser = () => String(userCounter++);

describe("/invite list", () => {
  it("shows every invite with its source, uses, max uses and expiry", async () => {
    const { guild, ctx } = await newGuild("List");
    await runInvite("create", [opt.str("source", "Forum"), opt.int("max_uses", 50), opt.int("max_age", 86_400)], ctx);
    const unlabelled = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, uses: 3, max_age: 0 });
    const { body } = await runInvite("list", [], ctx);
    const text = replyText(body.data);
    expect(text).toMatch(/Invites \(2\)/);
    expect(text).toMatch(/`[A-Za-z0-9]+` \*\*Forum\*\* · marked · 0\/50 uses · expires <t:\d+:R>/);
    expect(text).toContain(`\`${unlabelled.code}\` *no source* · 3/∞ uses · never expires`);
  });
});

describe("/invite stats", () => {
  it("counts each source's joins from its invites' counted uses, the named members beside, and the rest by cause", async () => {
    const { guild, ctx } = await newGuild("Stats");
    const [reddit, twitter] = await seedSources(guild.id, ["Reddit", "Twitter"]);
    const now = Date.now();
    await withDb((db) =>
      db.insert(invites).values([
        { code: "reddit1", guildId: guild.id, sourceId: reddit!.id, uses: 7 },
        { code: "twitter1", guildId: guild.id, sourceId: twitter!.id, uses: 4 },
      ]),
    );
    // Reddit's 6 uses in the week, 4 of them named; Twitter's 3, none named (they
    // shared a burst); one Discovery join; and one use of each outside the week.
    await seedLedger(guild.id, [
      ...Array.from({ length: 3 }, (_, i) => ({ code: "reddit1", uses: 2, at: now - i * DAY - 1000 })),
      { code: "twitter1", uses: 3, at: now - 2 * DAY },
      { code: "twitter1", uses: 1, at: now - 10 * DAY },
      { code: "reddit1", uses: 1, at: now - 40 * DAY },
    ]);
    const join = (at: number, sourceId: number | null, candidates: string[] = []) => ({
      guildId: guild.id,
      userId: nextUser(),
      joinedAt: new Date(at),
      sourceId,
      method: sourceId === null ? ("unresolved" as const) : ("diff" as const),
      candidates: sourceId === null ? candidates : null,
    });
    await withDb((db) =>
      db.insert(inviteJoins).values([
        ...Array.from({ length: 4 }, (_, i) => join(now - i * DAY - 1000, reddit!.id)),
        ...Array.from({ length: 5 }, () => join(now - 2 * DAY, null, ["reddit1", "twitter1"])),
        join(now - 3 * DAY, null),
        join(now - 10 * DAY, null, ["twitter1"]),
        join(now - 40 * DAY, reddit!.id),
      ]),
    );

    const week = replyText((await runInvite("stats", [opt.int("days", 7)], ctx)).body.data);
    expect(week).toContain("Joins in the last 7 days: 10");
    expect(week).toContain("**Reddit**: 6 (4 named) · 60.0%");
    expect(week).toContain("**Twitter**: 3 (0 named) · 30.0%");
    expect(week).toContain("*Moved no invite* (Discovery, OAuth add): 1 · 10.0%");
    expect(week).not.toContain("Ambiguous");

    const month = replyText((await runInvite("stats", [], ctx)).body.data);
    expect(month).toContain("Joins in the last 30 days: 11");
    expect(month).toContain("**Twitter**: 4 (0 named) · 36.4%");
  });

  it("names the vanity row after its code, and keeps moved-no-invite, uncounted, unlabelled and missed joins apart", async () => {
    const { guild, ctx } = await newGuild("Stats causes");
    const at = new Date(Date.now() - DAY);
    await withDb((db) => db.insert(invites).values([{ code: "nolabel", guildId: guild.id, uses: 1 }]));
    await seedLedger(guild.id, [
      { code: "lounge", uses: 2, at: at.getTime(), how: "vanity" },
      { code: "nolabel", uses: 1, at: at.getTime() },
      { code: "gone", uses: null, at: at.getTime(), how: "uncounted" },
    ]);
    const join = (fields: Partial<typeof inviteJoins.$inferInsert>) => ({ guildId: guild.id, userId: nextUser(), joinedAt: at, method: "unresolved" as const, ...fields });
    await withDb((db) =>
      db.insert(inviteJoins).values([
        join({ method: "vanity", inviteCode: "lounge" }),
        join({ candidates: ["lounge"] }),
        join({ candidates: [] }),
        join({ candidates: ["gone"] }),
        join({ candidates: ["gone"] }),
        join({ method: "diff", inviteCode: "nolabel" }),
        join({ reason: "missed" }),
        // Written by the guild's object next to a new gateway session's lost events.
        join({ candidates: ["aaa", "bbb"], reason: "gap" }),
      ]),
    );
    const text = replyText((await runInvite("stats", [], ctx)).body.data);
    expect(text.split("\n")).toEqual([
      "Joins in the last 30 days: 8",
      "**Vanity URL** `discord.gg/lounge`: 2 · 25.0%",
      "*Uncounted* (invites deleted or expired before their last uses were read): 2 · 25.0%",
      "*Relay gap* (events lost: missed joins, or joins next to them): 2 · 25.0%",
      "*Invites with no source*: 1 · 12.5%",
      "*Moved no invite* (Discovery, OAuth add): 1 · 12.5%",
    ]);
  });

  it("drills into one source: its invites, daily joins and retention", async () => {
    const { guild, ctx } = await newGuild("Stats drill-down");
    const [forum] = await withDb((db) => db.insert(inviteSources).values({ guildId: guild.id, name: "Forum", nameKey: sourceNameKey("Forum") }).returning());
    const now = Date.now();
    const users = [nextUser(), nextUser(), nextUser()];
    await withDb(async (db) => {
      await db.insert(invites).values([
        { code: "forum1", guildId: guild.id, sourceId: forum!.id, uses: 2, maxUses: 0 },
        { code: "forum2", guildId: guild.id, sourceId: forum!.id, uses: 1, maxUses: 10, deletedAt: new Date(now) },
      ]);
      await db.insert(inviteJoins).values(
        users.map((userId, i) => ({ guildId: guild.id, userId, joinedAt: new Date(now - (i === 2 ? 2 : 0) * DAY), sourceId: forum!.id, method: "diff" as const })),
      );
      await db.insert(members).values(users.map((userId, i) => ({ guildId: guild.id, userId, joinedAt: new Date(now - DAY), leftAt: i === 0 ? new Date(now) : null })));
    });
    // Four counted uses: today's two named joins and one more nobody could name, and one two days ago.
    await seedLedger(guild.id, [
      { code: "forum1", uses: 3, at: now },
      { code: "forum2", uses: 1, at: now - 2 * DAY },
    ]);
    const text = replyText((await runInvite("stats", [opt.int("days", 7), opt.str("source", "forum")], ctx)).body.data);
    expect(text).toContain("Forum: 4 joins in the last 7 days (3 named)");
    expect(text).toContain("`····▃·█`");
    expect(text).toContain("**Retention:** 2 of 3 named members still here (66.7%)");
    expect(text).toContain("`forum1` 2/∞ uses");
    expect(text).toContain("`forum2` 1/10 uses (deleted)");
    expect(replyText((await runInvite("stats", [opt.str("source", "Nowhere")], ctx)).body.data)).toContain("There is no source named “Nowhere”");
  });

  it("keeps the daily counts equal to the raw joins through inserts, updates and deletes", async () => {
    const { guild } = await newGuild("Rollup");
    const [a, b] = await seedSources(guild.id, ["A", "B"]);
    await withDb(async (db) => {
      const inserted = await db
        .insert(inviteJoins)
        .values(
          Array.from({ length: 40 }, (_, i) => ({
            guildId: guild.id,
            userId: nextUser(),
            joinedAt: new Date(Date.now() - (i % 5) * DAY),
            sourceId: i % 3 === 0 ? null : i % 3 === 1 ? a!.id : b!.id,
            method: "diff" as const,
          })),
        )
        .returning({ id: inviteJoins.id });
      await db.update(inviteJoins).set({ sourceId: a!.id, method: "manual" }).where(eq(inviteJoins.id, inserted[0]!.id));
      await db.delete(inviteJoins).where(eq(inviteJoins.id, inserted[1]!.id));
      const raw = await db.execute(sql`
        select (joined_at at time zone 'UTC')::date::text as day, source_id, count(*)::int as joins
          from invite_joins where guild_id = ${guild.id} group by 1, 2 order by 1, 2`);
      // Split by kind in the rollup, and a group an update emptied keeps a zero row.
      const rolled = await db
        .select({ day: joinDailyCounts.day, source_id: joinDailyCounts.sourceId, joins: sql<number>`sum(${joinDailyCounts.joins})::int` })
        .from(joinDailyCounts)
        .where(eq(joinDailyCounts.guildId, guild.id))
        .groupBy(joinDailyCounts.day, joinDailyCounts.sourceId)
        .having(sql`sum(${joinDailyCounts.joins}) <> 0`)
        .orderBy(joinDailyCounts.day, joinDailyCounts.sourceId);
      expect(rolled).toEqual(raw.rows);
    });
  });

  it("says so when there are no joins yet", async () => {
    const { ctx } = await newGuild("Empty stats");
    expect(replyText((await runInvite("stats", [], ctx)).body.data)).toMatch(/No joins recorded in this window yet/);
  });

  it("refuses days out of range", async () => {
    const { ctx } = await newGuild("Bad days");
    expect((await runInvite("stats", [opt.int("days", 0)], ctx)).body.data?.content).toMatch(/from 1 to 365/);
  });
});

describe("/invite recent", () => {
  it("lists the latest joins, newest first, in the words of /invite stats, naming each join's inviter", async () => {
    const { guild, ctx } = await newGuild("Recent");
    const [forum] = await seedSources(guild.id, ["Forum"]);
    const [inviter, friend, bot] = [nextUser(), nextUser(), "100000000000000001"];
    const invitationId = await withDb(async (db) => {
      await db.insert(invites).values([
        { code: "abc123", guildId: guild.id, inviterId: bot, sourceId: forum!.id },
        { code: "MJnrBLdq9", guildId: guild.id, inviterId: inviter },
      ]);
      const [invitation] = await db.insert(invitations).values({ guildId: guild.id, code: `secret-${guild.id}`, inviterId: friend, discordInviteCode: "once42" }).returning();
      return invitation!.id;
    });
    const now = Date.now();
    const users = Array.from({ length: 6 }, nextUser);
    await withDb((db) =>
      db.insert(inviteJoins).values([
        // The bot's own invite: a source's link belongs to nobody.
        { guildId: guild.id, userId: users[0]!, joinedAt: new Date(now - 6000), inviteCode: "abc123", sourceId: forum!.id, method: "diff" },
        { guildId: guild.id, userId: users[1]!, joinedAt: new Date(now - 5000), inviteCode: "vanity1", method: "vanity" },
        { guildId: guild.id, userId: users[2]!, joinedAt: new Date(now - 4000), method: "unresolved", candidates: ["abc123", "zzz999"] },
        { guildId: guild.id, userId: users[3]!, joinedAt: new Date(now - 3000), method: "unresolved", candidates: [] },
        { guildId: guild.id, userId: users[4]!, joinedAt: new Date(now - 2000), inviteCode: "MJnrBLdq9", method: "diff" },
        { guildId: guild.id, userId: users[5]!, joinedAt: new Date(now - 1000), inviteCode: "once42", invitationId, method: "diff" },
      ]),
    );
    const lines = replyText((await runInvite("recent", [], ctx)).body.data).split("\n").slice(1);
    expect(lines.map((l) => l.replace(/^<t:\d+:R> /, ""))).toEqual([
      `<@${users[5]}>: *Invites with no source* via \`once42\`, invitation from <@${friend}> · diff`,
      `<@${users[4]}>: *Invites with no source* via \`MJnrBLdq9\`, invite from <@${inviter}> · diff`,
      `<@${users[3]}>: *Moved no invite* (Discovery, OAuth add)`,
      `<@${users[2]}>: *Ambiguous* (more than one invite possible): one of \`abc123\`, \`zzz999\``,
      `<@${users[1]}>: **Vanity URL** \`discord.gg/vanity1\` · vanity`,
      `<@${users[0]}>: **Forum** via \`abc123\` · diff`,
    ]);
    // The words are stats' own (test/node/recent-format.test.ts checks every kind against formatStats).
    expect(replyText((await runInvite("stats", [], ctx)).body.data)).toContain("*Moved no invite* (Discovery, OAuth add): ");

    const limited = replyText((await runInvite("recent", [opt.int("limit", 1)], ctx)).body.data).split("\n");
    expect(limited).toHaveLength(2);
  });
});
