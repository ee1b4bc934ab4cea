import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations, invitationSettings } from "../../schema";
import { DiscordRest } from "../../worker/discord/rest";
import { announceSpentInvitations } from "../../worker/invitations/announce";
import { mintWave } from "../../worker/invitations/mint";
import { DM_ATTEMPTS } from "../../worker/invitations/dm";
import { notifyInvitations } from "../../worker/invitations/notify";
import { scheduledWaveSize } from "../../worker/invitations/scheduled-waves";
import { runCron } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { insertMembers, invitationsOf, newUserId, wavesOf } from "./support/invitations";
import { opt, replyText, runInviteFinal } from "./support/interactions";

const rest = () => DiscordRest.fromEnv(env);
const now = () => new Date();
const day = 86_400_000;

/** A guild in the fake Discord and in Postgres with these users as members. */
async function guildOf(name: string, users: Array<{ id?: string; dmsClosed?: boolean }>) {
  const list = users.map((u) => ({ id: u.id ?? newUserId(), dmsClosed: u.dmsClosed ?? false }));
  const guild = await fakeDiscord.createGuild({
    name,
    members: list.map((u) => ({ user: { id: u.id, username: `u${u.id.slice(-4)}`, dms_closed: u.dmsClosed } })),
  });
  await insertMembers(guild.id, list.map((u) => ({ userId: u.id, joinedAt: new Date(Date.now() - 30 * day), leftAt: null, bot: false })));
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id }, users: list.map((u) => u.id) };
}

const mint = (guildId: string, count: number) =>
  withDb((db) => mintWave(db, { guildId, policy: { name: "unspent", minDays: 0 }, count, expiresDays: 14, createdBy: null, dryRun: false, now: now() }));

describe("invitation DMs", () => {
  it("sends each recipient their link once; closed DMs are recorded, the invitation kept and shown in /invitations mine", async () => {
    const { guild, ctx, users } = await guildOf("Notify", [{}, {}, { dmsClosed: true }]);
    await mint(guild.id, 3);
    const result = await withDb((db) => notifyInvitations(db, rest(), env.PUBLIC_URL, now(), { guildId: guild.id, pauseMs: 0 }));
    expect(result).toEqual({ sent: 2, closed: 1, failed: 0, stopped: false });
    const rows = await invitationsOf(guild.id);
    for (const row of rows) {
      const closed = row.inviterId === users[2];
      expect(row.notifiedAt === null).toBe(closed);
      expect(row.dmClosedAt === null).toBe(!closed);
      expect(row.revokedAt).toBeNull();
      if (!closed) {
        const dms = await fakeDiscord.dms(row.inviterId!);
        expect(dms).toHaveLength(1);
        expect(dms[0]!.content).toContain(`https://invites.test/i/${row.code}`);
        expect(dms[0]!.content).toContain("invitation to Notify");
        expect(dms[0]!.content).toContain("you were drawn among its members");
      }
    }
    const again = await withDb((db) => notifyInvitations(db, rest(), env.PUBLIC_URL, now(), { guildId: guild.id, pauseMs: 0 }));
    expect(again).toEqual({ sent: 0, closed: 0, failed: 0, stopped: false });

    const closedRow = rows.find((r) => r.inviterId === users[2])!;
    const mine = await runInviteFinal("mine", [], { ...ctx, command: "invitations", userId: users[2], permissions: "0" });
    const text = replyText(mine.body.data);
    expect(text).toContain(`https://invites.test/i/${closedRow.code}`);
    expect(text).toMatch(/your DMs were closed/);
    expect(mine.body.data.flags).toBe(64);
  });

  it("escapes the server's name in the DM's Markdown", async () => {
    const { guild, users } = await guildOf("**Bold** </title> [x](https://e.example)", [{}]);
    await mint(guild.id, 1);
    await withDb((db) => notifyInvitations(db, rest(), env.PUBLIC_URL, now(), { guildId: guild.id, pauseMs: 0 }));
    const [dm] = await fakeDiscord.dms(users[0]!);
    expect(dm!.content.split("\n")[0]).toBe("🎟️ **You have an invitation to \\*\\*Bold\\*\\* </title\\> \\[x\\]\\(https://e.example\\)!**");
  });

  it(`counts a DM Discord refuses on its invitation and goes on; after ${DM_ATTEMPTS} refusals it is left alone and /invitations mine says so`, async () => {
    const { guild, ctx } = await guildOf("Notify refused", [{}, {}]);
    // A member Discord no longer knows (a deleted account): opening the DM answers 10013 Unknown User.
    const gone = newUserId();
    await insertMembers(guild.id, [{ userId: gone, joinedAt: new Date(Date.now() - 30 * day), leftAt: null, bot: false }]);
    await mint(guild.id, 3);
    const run = () => withDb((db) => notifyInvitations(db, rest(), env.PUBLIC_URL, now(), { guildId: guild.id, pauseMs: 0 }));
    expect(await run()).toEqual({ sent: 2, closed: 0, failed: 1, stopped: false });
    for (let attempt = 2; attempt <= DM_ATTEMPTS; attempt++) expect(await run()).toEqual({ sent: 0, closed: 0, failed: 1, stopped: false });
    expect(await run()).toEqual({ sent: 0, closed: 0, failed: 0, stopped: false });
    const refused = (await invitationsOf(guild.id)).find((r) => r.inviterId === gone)!;
    expect(refused).toMatchObject({ dmFailures: DM_ATTEMPTS, notifiedAt: null, dmClosedAt: null, revokedAt: null });
    const mine = await runInviteFinal("mine", [], { ...ctx, command: "invitations", userId: gone, permissions: "0" });
    expect(replyText(mine.body.data)).toContain("Discord would not deliver it to you by DM, so I stopped trying");
  });

  it("stops when Discord rate-limits and leaves the rest for the next run", async () => {
    const { guild } = await guildOf("Notify 429", [{}, {}]);
    await mint(guild.id, 2);
    await fakeDiscord.rateLimit({ path_prefix: "/users/@me/channels", count: 1, retry_after: 60 });
    const result = await withDb((db) => notifyInvitations(db, rest(), env.PUBLIC_URL, now(), { guildId: guild.id, pauseMs: 0 }));
    expect(result.stopped).toBe(true);
    expect(result.sent).toBe(0);
    expect((await invitationsOf(guild.id)).every((r) => r.notifiedAt === null && r.dmClosedAt === null)).toBe(true);
  });
});

describe("a spent invitation is announced", () => {
  it("to the inviter by DM and in the welcome channel, pinging only those two, once", async () => {
    const { guild, ctx, users } = await guildOf("Welcome", [{}]);
    const welcome = guild.channels.find((c) => c.type === 0)!.id;
    await runInviteFinal("settings", [opt.channel("welcome_channel", welcome)], ctx);
    await mint(guild.id, 1);
    const newcomer = newUserId();
    await withDb((db) => db.update(invitations).set({ invitedId: newcomer, spentAt: new Date() }).where(eq(invitations.guildId, guild.id)));

    expect(await withDb((db) => announceSpentInvitations(db, rest(), { guildId: guild.id }))).toEqual({ announced: 1 });
    const posts = await fakeDiscord.requests(`/channels/${welcome}/messages`);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      content: `<@${newcomer}> joined, invited by <@${users[0]}>`,
      allowed_mentions: { parse: [], users: [newcomer, users[0]] },
    });
    expect((await fakeDiscord.dms(users[0]!)).at(-1)?.content).toContain(`<@${newcomer}> joined with your invitation`);
    expect(await withDb((db) => announceSpentInvitations(db, rest(), { guildId: guild.id }))).toEqual({ announced: 0 });
    expect(await fakeDiscord.requests(`/channels/${welcome}/messages`)).toHaveLength(1);
  });
});

describe("scheduled waves", () => {
  it("cron mints a due wave once per interval", async () => {
    const { guild, ctx } = await guildOf("Schedule", [{}, {}, {}, {}]);
    const { body } = await runInviteFinal("settings", [opt.int("wave_size", 2), opt.str("wave_policy", "unspent"), opt.int("wave_every_days", 7)], ctx);
    expect(replyText(body.data)).toMatch(/Scheduled waves of 2 every 7 days under \*\*unspent\*\*/);
    const tick = () => runCron("*/5 * * * *", [guild.id]);
    await tick();
    expect((await wavesOf(guild.id)).map((w) => w.minted)).toEqual([2]);
    // The same run sent the wave's DMs.
    expect((await invitationsOf(guild.id)).every((r) => r.notifiedAt !== null)).toBe(true);
    await tick();
    expect(await wavesOf(guild.id)).toHaveLength(1);
    // A week later the next one is due.
    await withDb((db) => db.execute(sql`update invitation_settings set last_wave_at = now() - interval '7 days 1 minute' where guild_id = ${guild.id}`));
    await tick();
    expect((await wavesOf(guild.id)).map((w) => w.minted)).toEqual([2, 2]);
  });

  it("with a growth target, the autopilot sizes the wave, capped by wave_size (cold start)", async () => {
    const { guild, ctx } = await guildOf("Autopilot", [{}]);
    await runInviteFinal("settings", [opt.int("wave_size", 30), opt.int("growth_target", 10)], ctx);
    const [settings] = await withDb((db) => db.select().from(invitationSettings).where(eq(invitationSettings.guildId, guild.id)));
    const sized = await withDb((db) => scheduledWaveSize(db, settings!, now()));
    expect(sized.size).toBe(30);
    expect(sized.plan?.spendRate).toBe(0.25);
  });
});

describe("/invite settings", () => {
  it("shows the defaults, changes only what is given, and refuses bad values", async () => {
    const { ctx } = await guildOf("Settings", []);
    const shown = await runInviteFinal("settings", [], ctx);
    expect(replyText(shown.body.data)).toMatch(/Scheduled waves: off.*expire after 14 days.*Welcome channel: not set/s);
    const changed = await runInviteFinal("settings", [opt.int("expires_days", 3), opt.channel("invitation_channel", ctx.channelId)], ctx);
    expect(replyText(changed.body.data)).toMatch(new RegExp(`expire after 3 days.*Invitation channel: <#${ctx.channelId}>`, "s"));
    const bad = await runInviteFinal("settings", [opt.str("wave_policy", "everyone")], ctx);
    expect(replyText(bad.body.data)).toMatch(/`wave_policy` must be one of/);
    const bad2 = await runInviteFinal("settings", [opt.int("wave_every_days", 0)], ctx);
    expect(replyText(bad2.body.data)).toMatch(/`wave_every_days` must be a whole number from 1 to 365/);
    expect(replyText((await runInviteFinal("settings", [], ctx)).body.data)).toMatch(/expire after 3 days/);
  });
});
