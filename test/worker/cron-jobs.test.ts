import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { memberSyncJob } from "../../cron/member-sync";
import { botArrivals, briefingPosts, exactChecks, guildSettings, invitations, inviteJoins, invites, jobRuns, members, memberSync } from "../../schema";
import { isoWeek, localTime } from "../../worker/briefing/schedule";
import { deliver, runCron } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { allJoinsLanded, knownGuild } from "./support/guild";
import { invitationsOf } from "./support/invitations";
import { eventually, relayEvent } from "./support/relay";
import { replyText, runInviteFinal } from "./support/interactions";
import { decodePng } from "./support/png";

const runsOf = (guildId: string, job: string) =>
  withDb((db) => db.select().from(jobRuns).where(and(eq(jobRuns.guildId, guildId), eq(jobRuns.job, job))));

/** Discord's REST as the bot (the tests play a run that posted and then died). */
async function postAsBot(channelId: string, body: unknown) {
  const response = await fetch(`${inject("discordApiBase")}/channels/${channelId}/messages`, {
    method: "POST",
    headers: { Authorization: "Bot test", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { id: string };
}

describe("cron: reconcile", { timeout: 120_000 }, () => {
  it("counts, logs and repairs drift between the invites table and Discord", async () => {
    const guild = await knownGuild("Drift", 770_000_000_000_000_001n);
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    await eventually(async () => {
      const [known] = await withDb((db) => db.select().from(invites).where(eq(invites.code, guild.code)));
      return known?.uses === 1 ? known : undefined;
    }, 10_000, "the invite's first use in the table");
    // While the relay is down: an invite made in Discord's UI, one deleted there, a join that moved a count.
    const made = await fakeDiscord.createInvite(guild.guildId, { max_age: 0 });
    const doomed = await fakeDiscord.createInvite(guild.guildId, { max_age: 0 });
    await withDb((db) => db.insert(invites).values({ code: doomed.code, guildId: guild.guildId, uses: 0 }));
    await fetch(`${inject("discordApiBase")}/invites/${doomed.code}`, { method: "DELETE", headers: { Authorization: "Bot test" } });
    await fakeDiscord.join(guild.code, { id: "770000000000000900", username: "unseen" });

    await runCron("*/5 * * * *", [guild.guildId]);
    const rows = await withDb((db) => db.select().from(invites).where(eq(invites.guildId, guild.guildId)));
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get(made.code)).toMatchObject({ uses: 0, deletedAt: null });
    expect(byCode.get(doomed.code)?.deletedAt).not.toBeNull();
    expect(byCode.get(guild.code)?.uses).toBe(2);
    const [run] = await runsOf(guild.guildId, "reconcile");
    expect(run).toMatchObject({ outcome: "ok", figures: { drift: 3, missing: 1, uses: 1, vanished: 1, expired: 0 } });

    // Repaired: the next round finds nothing.
    await runCron("*/5 * * * *", [guild.guildId]);
    const runs = await runsOf(guild.guildId, "reconcile");
    expect(runs.map((r) => r.figures.drift).sort()).toEqual([0, 3]);
    // What /invite health reports is what the runs recorded.
    const health = replyText((await runInviteFinal("health", [], { guildId: guild.guildId, channelId: "100000000000000009" })).body.data);
    expect(health).toContain("⚠️ **Drift (1 day):** 3 invites repaired by reconcile");
  });

  it("goes on with the other guilds when one fails", async () => {
    const good = await knownGuild("Drift good", 770_000_000_000_001_001n);
    // A guild the bot was removed from: Discord answers 404 Unknown Guild for it.
    await withDb((db) => db.insert(guildSettings).values({ guildId: "770000000000009999" }));
    await fakeDiscord.createInvite(good.guildId, { max_age: 0 });
    // Both in one consumer batch. Discord's 404 is an answer, not an outage: recorded as failed, not retried.
    const run = await runCron("*/5 * * * *", [good.guildId, "770000000000009999"]);
    expect(run.reconcile).toEqual({ selected: [good.guildId, "770000000000009999"], retried: [] });
    expect((await runsOf(good.guildId, "reconcile"))[0]).toMatchObject({ outcome: "ok", figures: { drift: 1 } });
    expect((await runsOf("770000000000009999", "reconcile"))[0]).toMatchObject({ outcome: "failed", figures: { drift: 0, discord: 404 } });
  });
});

async function briefingGuild(name: string, at: number) {
  const guild = await fakeDiscord.createGuild({ name, channels: [{ name: "general" }, { name: "briefings" }] });
  const channelId = guild.channels[1]!.id;
  const local = localTime(at, "UTC");
  await withDb((db) =>
    db.insert(guildSettings).values({ guildId: guild.id, briefingChannelId: channelId, briefingDay: local.weekday, briefingHour: local.hour, timezone: "UTC" }),
  );
  return { guildId: guild.id, channelId, week: isoWeek(local.date) };
}

const briefingsIn = async (channelId: string) =>
  (await fakeDiscord.channelMessages(channelId)).filter((m) =>
    (m.embeds as Array<{ footer?: { text?: string } }>).some((e) => e.footer?.text?.startsWith("Weekly briefing")),
  );

describe("cron: the weekly briefing slot", { timeout: 120_000 }, () => {
  it("posts once per guild and week, with its chart, however often cron fires", async () => {
    const now = Date.now();
    const { guildId, channelId, week } = await briefingGuild("Briefing twice", now);
    await Promise.all([runCron("0 * * * *", [guildId], now), runCron("0 * * * *", [guildId], now)]);
    await runCron("0 * * * *", [guildId], now + 3_600_000);
    const posts = await briefingsIn(channelId);
    expect(posts).toHaveLength(1);
    const post = posts[0]! as unknown as { id: string; embeds: Array<{ image?: { url: string }; footer?: { text: string } }>; attachments: Array<{ filename: string }> };
    expect(post.embeds[0]).toMatchObject({ image: { url: "attachment://briefing.png" }, footer: { text: `Weekly briefing · ${week}` } });
    expect(post.attachments.map((a) => a.filename)).toEqual(["briefing.png"]);
    const [file] = await (await fetch(`${new URL(inject("discordApiBase")).origin}/_fake/channels/${channelId}/messages/${post.id}/attachments`)).json<Array<{ base64: string }>>();
    const png = await decodePng(Uint8Array.from(atob(file!.base64), (c) => c.charCodeAt(0)));
    expect([png.width, png.height]).toEqual([800, 360]);
    const [row] = await withDb((db) => db.select().from(briefingPosts).where(eq(briefingPosts.guildId, guildId)));
    expect(row).toMatchObject({ week, channelId, messageId: post.id });
    expect(row?.postedAt).not.toBeNull();
  });

  it("after a run died holding the claim: posts once if it had not posted, and finds its post if it had", async () => {
    const now = Date.now();
    const stale = new Date(now - 20 * 60_000);
    const before = await briefingGuild("Briefing died before posting", now);
    const after = await briefingGuild("Briefing died after posting", now);
    const lost = await postAsBot(after.channelId, { embeds: [{ title: "Weekly briefing", footer: { text: `Weekly briefing · ${after.week}` } }] });
    await withDb((db) =>
      db.insert(briefingPosts).values([
        { guildId: before.guildId, week: before.week, channelId: before.channelId, claimedAt: stale },
        { guildId: after.guildId, week: after.week, channelId: after.channelId, claimedAt: stale },
      ]),
    );
    await runCron("0 * * * *", [before.guildId, after.guildId], now);
    await runCron("0 * * * *", [before.guildId, after.guildId], now);
    expect(await briefingsIn(before.channelId)).toHaveLength(1);
    expect((await briefingsIn(after.channelId)).map((m) => m.id)).toEqual([lost.id]);
    const [recovered] = await withDb((db) => db.select().from(briefingPosts).where(eq(briefingPosts.guildId, after.guildId)));
    expect(recovered?.messageId).toBe(lost.id);
  });

  it("when Discord fails the post, releases the claim and the Queue's retry posts it", async () => {
    const now = Date.now();
    const { guildId, channelId } = await briefingGuild("Briefing Discord down", now);
    await fakeDiscord.failures({ method: "POST", path_prefix: `/channels/${channelId}/messages`, count: 4, status: 502 });
    const run = await runCron("0 * * * *", [guildId], now);
    expect(run.briefing).toEqual({ selected: [guildId], retried: [guildId] });
    expect(await briefingsIn(channelId)).toHaveLength(0);
    expect((await runsOf(guildId, "briefing"))[0]).toMatchObject({ outcome: "failed", figures: { result: "failed", attempt: 1 } });
    await deliver([{ body: { job: "briefing", guildId, firedAt: now }, attempts: 2 }]);
    expect(await briefingsIn(channelId)).toHaveLength(1);
  });

  it("leaves a guild alone outside its slot", async () => {
    const now = Date.now();
    const { guildId, channelId } = await briefingGuild("Briefing not yet", now + 3 * 3_600_000);
    // Not even enqueued: the scheduled run only sends guilds whose slot has come.
    expect((await runCron("0 * * * *", [guildId], now)).briefing?.selected).toEqual([]);
    expect(await briefingsIn(channelId)).toHaveLength(0);
  });
});

describe("cron: hourly exact confirmation", { timeout: 120_000 }, () => {
  it("turns an unresolved join exact after Discord's index is ready, and records whether the diff agreed", async () => {
    const guild = await knownGuild("Confirm", 790_000_000_000_000_001n);
    await guild.join();
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    const other = await fakeDiscord.createInvite(guild.guildId, { max_age: 0 });
    // Joins the relay never delivered, recorded as the diff might have: one unresolved, one wrongly attributed.
    const joinedVia = async (code: string, id: string) =>
      Date.parse(((await fakeDiscord.join(code, { id, username: `u${id.slice(-3)}` })) as { member: { joined_at: string } }).member.joined_at);
    const unresolvedAt = await joinedVia(other.code, "790000000000000801");
    const wrongAt = await joinedVia(other.code, "790000000000000802");
    await withDb((db) =>
      db.insert(inviteJoins).values([
        { guildId: guild.guildId, userId: "790000000000000801", joinedAt: new Date(unresolvedAt), method: "unresolved", candidates: [guild.code, other.code] },
        { guildId: guild.guildId, userId: "790000000000000802", joinedAt: new Date(wrongAt), method: "diff", inviteCode: guild.code },
      ]),
    );
    await fakeDiscord.behaviour(guild.guildId, { member_search: "indexing" });

    await runCron("0 * * * *", [guild.guildId]);
    const rows = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.guildId)));
    expect(rows.find((r) => r.userId === "790000000000000801")).toMatchObject({ method: "exact", inviteCode: other.code, candidates: null });
    const checks = await withDb((db) => db.select().from(exactChecks).where(eq(exactChecks.guildId, guild.guildId)));
    expect(checks.map((c) => [c.userId, c.outcome]).sort()).toEqual([
      [guild.joined[0], "agreed"],
      [guild.joined[1], "agreed"],
      ["790000000000000802", "disagreed"],
    ]);
    const [run] = await runsOf(guild.guildId, "confirm");
    expect(run?.figures).toMatchObject({ search: "answered", exact: 1, agreed: 2, disagreed: 1 });
    const searches = await fakeDiscord.requests(`/guilds/${guild.guildId}/members-search`);
    expect(searches.map((r) => r.status).slice(-2)).toEqual([202, 200]);

    // Checked joins are not asked about again.
    await runCron("0 * * * *", [guild.guildId]);
    expect((await runsOf(guild.guildId, "confirm")).length).toBe(1);
  });

  it("records a refusal, and skips guilds that turned member search off", async () => {
    const refusing = await knownGuild("Confirm refused", 790_000_000_000_001_001n);
    const off = await knownGuild("Confirm off", 790_000_000_000_002_001n);
    await fakeDiscord.behaviour(refusing.guildId, { member_search: "refuse" });
    await withDb((db) => db.insert(guildSettings).values({ guildId: off.guildId, memberSearch: false }));
    for (const g of [refusing, off]) {
      await g.join();
      await allJoinsLanded(g.guildId, g.joined);
    }
    const run = await runCron("0 * * * *", [refusing.guildId, off.guildId]);
    expect(run.confirm?.selected).toEqual([refusing.guildId]);
    expect((await runsOf(refusing.guildId, "confirm"))[0]?.figures).toMatchObject({ search: "refused", exact: 0 });
    expect(await runsOf(off.guildId, "confirm")).toEqual([]);
  });
});

/** The member list's pages the bot asked for (not single members). */
const memberPages = async (guildId: string) => (await fakeDiscord.requests(`/guilds/${guildId}/members`)).filter((r) => r.path === `/guilds/${guildId}/members`);

describe("cron: daily member sync", { timeout: 120_000 }, () => {
  it("repairs departures and joins the relay missed; a missed join gets an unresolved row with reason 'missed'", async () => {
    const guild = await knownGuild("Member sync", 795_000_000_000_000_001n);
    await guild.join();
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    const inFuture = new Date(Date.now() + 7 * 86_400_000);
    // The first member's invitation has a live one-time Discord invite (a friend pressed Accept).
    const oneTime = await fakeDiscord.createInvite(guild.guildId, { max_uses: 1 });
    await withDb((db) =>
      db.insert(invitations).values(
        guild.joined.map((inviterId, i) => ({
          guildId: guild.guildId,
          code: `sync${i}${guild.guildId}`,
          inviterId,
          expiresAt: inFuture,
          ...(i === 0 ? { discordInviteCode: oneTime.code, discordInviteExpiresAt: inFuture } : {}),
        })),
      ),
    );
    // While the relay is down: one member leaves, one joins.
    await fakeDiscord.leave(guild.guildId, guild.joined[0]!);
    await fakeDiscord.join(guild.code, { id: "795000000000000900", username: "unseen" });

    // An hour and more later, so the unseen join cannot still be in flight.
    const later = Date.now() + 2 * 3_600_000;
    await runCron("30 3 * * *", [guild.guildId], later);
    const memberRows = await withDb((db) => db.select().from(members).where(eq(members.guildId, guild.guildId)));
    const byUser = new Map(memberRows.map((m) => [m.userId, m]));
    expect(byUser.get(guild.joined[0]!)?.leftAt?.getTime()).toBe(later);
    expect(byUser.get(guild.joined[1]!)?.leftAt).toBeNull();
    expect(byUser.get("795000000000000900")).toMatchObject({ leftAt: null });
    const joins = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.guildId)));
    expect(joins.find((j) => j.userId === "795000000000000900")).toMatchObject({ method: "unresolved", reason: "missed", candidates: [] });
    // The owner was never recorded as joining either: found too.
    expect(joins.filter((j) => j.reason === "missed")).toHaveLength(2);
    const [run] = await runsOf(guild.guildId, "member_sync");
    expect(run?.figures).toMatchObject({ pages: 1, members: 3, missedJoins: 2, departures: 1, invitationsWithdrawn: 1, discordInvitesDeleted: 1, finished: true });
    // The departed member's invitation is withdrawn with them; the other member's stays.
    const byInviter = new Map((await invitationsOf(guild.guildId)).map((i) => [i.inviterId, i]));
    expect(byInviter.get(guild.joined[0]!)?.revokedAt?.getTime()).toBe(later);
    expect(byInviter.get(guild.joined[1]!)?.revokedAt).toBeNull();
    expect((await fakeDiscord.guildInvites(guild.guildId)).map((i) => i.code)).not.toContain(oneTime.code);

    // The next pass finds nothing new.
    await runCron("30 3 * * *", [guild.guildId], later + 86_400_000);
    const runs = await runsOf(guild.guildId, "member_sync");
    expect(runs.map((r) => r.figures.missedJoins).sort()).toEqual([0, 2]);
  });

  it("takes members who were there before the bot for members, not missed joins, and takes back such joins written before", async () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const before = ["797000000000000001", "797000000000000002", "797000000000000003"];
    const guild = await knownGuild("Member sync arrival", 797_000_000_000_000_100n, before.map((id) => ({ user: { id, username: `b${id.slice(-1)}` }, joined_at: tenDaysAgo })));
    // A sync that ran before the bot's arrival was known took one of them for a missed join.
    await withDb((db) => db.insert(inviteJoins).values({ guildId: guild.guildId, userId: before[0]!, joinedAt: new Date(tenDaysAgo), method: "unresolved", candidates: [], reason: "missed" }));
    // After the bot arrived, while the relay is down: two join unseen.
    await fakeDiscord.join(guild.code, { id: "797000000000000900", username: "unseen1" });
    await fakeDiscord.join(guild.code, { id: "797000000000000901", username: "unseen2" });

    await runCron("30 3 * * *", [guild.guildId], Date.now() + 2 * 3_600_000);
    const memberRows = await withDb((db) => db.select().from(members).where(eq(members.guildId, guild.guildId)));
    expect(memberRows.map((m) => m.userId)).toEqual(expect.arrayContaining([...before, "797000000000000900", "797000000000000901"]));
    const missed = (await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.guildId)))).filter((j) => j.reason === "missed");
    // The owner joined with the guild, as the bot did: not before it.
    expect(missed.map((j) => j.userId).filter((id) => !before.includes(id) && !id.startsWith("7970000000000009"))).toHaveLength(1);
    expect(missed.map((j) => j.userId)).toEqual(expect.arrayContaining(["797000000000000900", "797000000000000901"]));
    expect(missed.filter((j) => before.includes(j.userId))).toEqual([]);
    const [run] = await runsOf(guild.guildId, "member_sync");
    expect(run?.figures).toMatchObject({ members: 6, missedJoins: 3 });
    const stats = replyText((await runInviteFinal("stats", [], { guildId: guild.guildId, channelId: "100000000000000009" })).body.data);
    expect(stats).toContain("Joins in the last 30 days: 3");
    expect(stats).toContain("*Relay gap* (events lost: missed joins, or joins next to them): 3 · 100.0%");
  });

  it("takes the bot's arrival from GUILD_CREATE's joined_at and then need not ask Discord for it", async () => {
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    const guild = await fakeDiscord.createGuild({
      name: "Member sync GUILD_CREATE",
      members: [
        { user: { id: "798000000000000001", username: "old" }, joined_at: at(10) },
        { user: { id: "798000000000000002", username: "new" }, joined_at: at(2) },
      ],
    });
    const arrived = at(5);
    const response = await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [], vanity_url_code: null, joined_at: arrived });
    expect(response.status).toBe(202);
    await eventually(async () => (await withDb((db) => db.select().from(botArrivals).where(eq(botArrivals.guildId, guild.id))))[0], 10_000, "the bot's arrival");

    await withDb((db) => db.insert(guildSettings).values({ guildId: guild.id }));
    await runCron("30 3 * * *", [guild.id], Date.now() + 2 * 3_600_000);
    const [arrival] = await withDb((db) => db.select().from(botArrivals).where(eq(botArrivals.guildId, guild.id)));
    expect(arrival?.joinedAt.toISOString()).toBe(arrived);
    const missed = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.id)));
    expect(missed.map((j) => j.userId)).toContain("798000000000000002");
    expect(missed.map((j) => j.userId)).not.toContain("798000000000000001");
    expect(await fakeDiscord.requests(`/guilds/${guild.id}/members/`)).toEqual([]);
  });

  it("pages 1,000 at a time and carries a pass on from its cursor when its time budget runs out", async () => {
    const many = Array.from({ length: 2_100 }, (_, i) => ({ user: { id: String(796_000_000_000_000_000n + BigInt(i)), username: `m${i}` }, joined_at: "2026-01-01T00:00:00.000Z" }));
    const guild = await fakeDiscord.createGuild({ name: "Member sync pages", members: many });
    await withDb((db) => db.insert(guildSettings).values({ guildId: guild.id }));
    const start = Date.now() + 2 * 3_600_000;
    // A budget too small for more than one page: each run reads one and leaves the cursor behind it.
    const run = (mode: "start" | "continue") => withDb((db) => memberSyncJob(mode, 0).run(env, db, guild.id, new Date(start)));
    await run("start");
    expect((await withDb((db) => db.select().from(memberSync).where(eq(memberSync.guildId, guild.id))))[0]).toMatchObject({ after: "796000000000000999", finishedAt: null });
    await run("continue");
    await run("continue");
    const [cursor] = await withDb((db) => db.select().from(memberSync).where(eq(memberSync.guildId, guild.id)));
    expect(cursor?.finishedAt?.getTime()).toBe(start);
    const pages = await memberPages(guild.id);
    expect(pages.map((r) => (r as unknown as { query: Record<string, string> }).query)).toEqual([
      { limit: "1000", after: "0" },
      { limit: "1000", after: "796000000000000999" },
      { limit: "1000", after: "796000000000001999" },
    ]);
    const synced = await withDb((db) => db.select().from(members).where(eq(members.guildId, guild.id)));
    expect(synced).toHaveLength(2_101);
    // Finished: the hourly run has nothing to carry on.
    await run("continue");
    expect(await memberPages(guild.id)).toHaveLength(3);
  });
});
