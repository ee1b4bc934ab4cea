import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites, members } from "../../schema";
import { inviterCertain, inviterOf, tally, type CountedJoin } from "../../worker/inviters/counts";
import { rankingPage } from "../../worker/inviters/ranking";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, pressButton, replyText, runCommandFinal } from "./support/interactions";
import { trackedGuild, userAged } from "./support/inviters";

const BOT = "100000000000000001";
const DAY = 86_400_000;
const ADMIN = "200000000000000001";
/** Every join the pure rules see, read back from Postgres: the table the SQL counts must agree with. */
const countedJoins = (guildId: string) =>
  withDb(async (db) => {
    const rows = await db.execute<{
      user_id: string;
      joined_at: string;
      is_rejoin: boolean;
      method: string;
      inviter: string | null;
      invitation_inviter: string | null;
      candidates_inviter_id: string | null;
      left_at: string | null;
    }>(sql`
      select j.user_id, j.joined_at, j.is_rejoin, j.method, i.inviter_id as inviter, inv.inviter_id as invitation_inviter, j.candidates_inviter_id, m.left_at
        from invite_joins j left join invites i on i.code = j.invite_code
        left join invitations inv on inv.id = j.invitation_id
        left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id
       where j.guild_id = ${guildId}`);
    return rows.rows.map(
      (r): CountedJoin => ({
        userId: r.user_id,
        inviterId: inviterOf({ invitationInviterId: r.invitation_inviter, inviteInviterId: r.inviter, candidatesInviterId: r.candidates_inviter_id }, BOT),
        resolved: inviterCertain({ method: r.method, candidatesInviterId: r.candidates_inviter_id }),
        joinedAt: Date.parse(r.joined_at),
        isRejoin: r.is_rejoin,
        present: r.left_at === null,
      }),
    );
  });

describe("invite counts after a scripted history", () => {
  it("match the table, through the real pipeline, in /invites show, the leaderboard and the pure rules", async () => {
    const { guild, ctx, gateway, play, leave } = await trackedGuild("Counting");
    const [A, B, C] = [userAged(900), userAged(800), userAged(700)];
    const codeOf: Record<string, string> = {};
    for (const inviter of [A, B, C]) {
      codeOf[inviter.id] = (await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: inviter.id })).code;
    }
    // The bot's own invite for a source: nobody's personal invite.
    const botCode = (await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: BOT })).code;
    await gateway.forward();

    const [u1, u2, u3, u4, u6] = [userAged(400), userAged(300), userAged(200), userAged(100), userAged(50)];
    const young = userAged(2);
    await play(codeOf[A.id]!, u1);
    await play(codeOf[A.id]!, u2);
    await play(codeOf[A.id]!, u3);
    await play(codeOf[B.id]!, u4);
    await play(codeOf[B.id]!, young);
    await play(codeOf[C.id]!, u6);
    await play(codeOf[C.id]!, C); // a self-invite
    await play(botCode, userAged(60)); // nobody's
    await leave(u3);
    await leave(u1);
    await play(codeOf[B.id]!, u1); // a rejoin: fake for B; A keeps u1, who is back
    // A join the bot could not attribute, with A's code among its candidates: it counts for nobody.
    await withDb((db) =>
      db.insert(inviteJoins).values({ guildId: guild.id, userId: userAged(30).id, joinedAt: new Date(), method: "unresolved", candidates: [codeOf[A.id]!, codeOf[B.id]!] }),
    );
    const bonus = await runCommandFinal("invite", "bonus", [opt.user("member", C.id), opt.int("amount", 2), opt.str("reason", "ran the event")], ctx);
    expect(replyText(bonus.body.data)).toContain(`Bonus +2 for <@${C.id}> (“ran the event”). They now have **3** invites`);

    const table = [
      { who: A, line: "**2** invites (3 regular, 1 left, 0 fake, +0 bonus)", counts: { regular: 3, left: 1, fake: 0, bonus: 0, pending: 0 } },
      { who: B, line: "**1** invites (3 regular, 0 left, 2 fake, +0 bonus)", counts: { regular: 3, left: 0, fake: 2, bonus: 0, pending: 0 } },
      { who: C, line: "**3** invites (2 regular, 0 left, 1 fake, +2 bonus)", counts: { regular: 2, left: 0, fake: 1, bonus: 2, pending: 0 } },
    ];
    for (const { who, line } of table) {
      const shown = replyText((await runCommandFinal("invites", "show", [opt.user("member", who.id)], { ...ctx, userId: u2.id, permissions: "0" })).body.data);
      expect(shown).toContain(`<@${who.id}> has ${line}`);
    }
    const bShown = replyText((await runCommandFinal("invites", "show", [opt.user("member", B.id)], ctx)).body.data);
    expect(bShown).toMatch(new RegExp(`<@${u1.id}> joined <t:\\d+:R> · fake: rejoin`));
    expect(bShown).toMatch(new RegExp(`<@${young.id}> joined <t:\\d+:R> · fake: new account`));
    const aShown = replyText((await runCommandFinal("invites", "show", [], { ...ctx, userId: A.id, permissions: "0" })).body.data);
    expect(aShown).toMatch(new RegExp(`<@${u3.id}> joined <t:\\d+:R> · left <t:\\d+:R>`));

    const board = replyText((await runCommandFinal("invites", "leaderboard", [], { ...ctx, permissions: "0" })).body.data);
    expect(board).toContain(`1. <@${C.id}>: **3** invites`);
    expect(board).toContain(`2. <@${A.id}>: **2** invites`);
    expect(board).toContain(`3. <@${B.id}>: **1** invites`);
    expect(board).toContain("Page 1 of 1 · 3 inviters");

    // The SQL counts and the pure rules agree on the same rows.
    const now = new Date();
    const pure = tally(await countedJoins(guild.id), [{ userId: C.id, amount: 2 }], { fakeAccountAgeDays: 7, countAfterDays: 0 }, now.getTime());
    const scope = { guildId: guild.id, botUserId: BOT, policy: { fakeAccountAgeDays: 7, countAfterDays: 0 }, since: null, until: null, now };
    const sqlBoard = await withDb((db) => rankingPage(db, env, scope, 0, 0, 10));
    expect(new Map(sqlBoard.rows.map(({ userId, ...c }) => [userId, c]))).toEqual(pure);
    for (const { who, counts } of table) expect(pure.get(who.id)).toEqual(counts);

    // A shorter fake-account limit makes the young account count.
    const saved = await runCommandFinal("invite", "settings", [opt.int("fake_account_age_days", 1)], ctx);
    expect(replyText(saved.body.data)).toContain("younger than 1 day");
    const relaxed = replyText((await runCommandFinal("invites", "show", [opt.user("member", B.id)], ctx)).body.data);
    expect(relaxed).toContain("**2** invites (3 regular, 0 left, 1 fake, +0 bonus)");
  }, 120_000);

  it("counts over a window: joins and bonus rows before it are left out", async () => {
    const { guild, ctx } = await trackedGuild("Window");
    const inviter = userAged(500).id;
    const now = Date.now();
    await withDb(async (db) => {
      await db.insert(invites).values({ code: `win${guild.id.slice(-6)}`, guildId: guild.id, inviterId: inviter });
      const joins = [now - 40 * DAY, now - 20 * DAY, now - 2 * DAY, now - DAY].map((at) => ({
        guildId: guild.id,
        userId: userAged(900).id,
        joinedAt: new Date(at),
        inviteCode: `win${guild.id.slice(-6)}`,
        method: "diff" as const,
      }));
      await db.insert(inviteJoins).values(joins);
      await db.insert(members).values(joins.map((j) => ({ guildId: guild.id, userId: j.userId, joinedAt: j.joinedAt })));
      await db.execute(sql`insert into inviter_bonuses (guild_id, user_id, amount, reason, created_by, created_at)
                           values (${guild.id}, ${inviter}, 5, 'old', ${ADMIN}, now() - interval '60 days')`);
    });
    const week = replyText((await runCommandFinal("invites", "leaderboard", [opt.int("days", 7)], ctx)).body.data);
    expect(week).toContain("Top inviters (last 7 days)");
    expect(week).toContain(`1. <@${inviter}>: **2** invites (2 regular, 0 left, 0 fake, +0 bonus)`);
    const all = replyText((await runCommandFinal("invites", "leaderboard", [], ctx)).body.data);
    expect(all).toContain(`1. <@${inviter}>: **9** invites (4 regular, 0 left, 0 fake, +5 bonus)`);
  });
});

describe("/invites leaderboard pages", () => {
  it("pages with buttons, and refuses a custom_id it never made", async () => {
    const { guild, ctx } = await trackedGuild("Pages");
    const inviters = Array.from({ length: 23 }, () => userAged(1000).id);
    await withDb(async (db) => {
      await db.insert(invites).values(inviters.map((inviterId, i) => ({ code: `pg${i}x${guild.id.slice(-6)}`, guildId: guild.id, inviterId })));
      // Inviter i brought i + 1 members: the ranking is the reverse of the list.
      const joins = inviters.flatMap((_, i) =>
        Array.from({ length: i + 1 }, () => ({ guildId: guild.id, userId: userAged(900).id, joinedAt: new Date(Date.now() - DAY), inviteCode: `pg${i}x${guild.id.slice(-6)}`, method: "diff" as const })),
      );
      await db.insert(inviteJoins).values(joins);
    });
    const member = { ...ctx, userId: inviters[0]!, permissions: "0" };
    const first = (await runCommandFinal("invites", "leaderboard", [], member)).body.data;
    expect(replyText(first)).toContain(`1. <@${inviters[22]}>: **23** invites`);
    expect(replyText(first)).toContain("Page 1 of 3 · 23 inviters");
    const [prev, next] = first.components![0]!.components;
    expect(prev).toMatchObject({ custom_id: "lb:0:0:p", disabled: true });
    expect(next).toMatchObject({ custom_id: "lb:0:1:n", disabled: false });

    const second = await pressButton(next!.custom_id!, member);
    expect(second.body.type).toBe(7);
    expect(replyText(second.body.data)).toContain(`11. <@${inviters[12]}>: **13** invites`);
    expect(replyText(second.body.data)).toContain("Page 2 of 3");
    const third = await pressButton("lb:0:2:n", member);
    expect(replyText(third.body.data)).toContain(`23. <@${inviters[0]}>: **1** invites`);
    expect(third.body.data.components![0]!.components[1]).toMatchObject({ disabled: true });

    for (const forged of ["lb:0:99999999:n", "lb:-1:0:n", "lb:9999:0:p", "drop table", "lb:0:1:x"]) {
      const refused = await pressButton(forged, member);
      expect(refused.body.type).toBe(4);
      expect(replyText(refused.body.data)).toContain("That button is not one of mine");
    }
  });
});

describe("/invite bonus and settings validation", () => {
  it.each([
    [[opt.int("amount", 0), opt.str("reason", "x")], "other than 0"],
    [[opt.int("amount", 3), opt.str("reason", "   ")], "`reason` must be text of 1 to 200"],
    [[opt.int("amount", 3), opt.str("reason", "bad\u202ename")], "`reason` must be"],
    [[opt.int("amount", 99_999), opt.str("reason", "x")], "`amount` must be a whole number from -10000 to 10000"],
  ])("refuses %j", async (options, message) => {
    const { guild } = await (async () => ({ guild: await fakeDiscord.createGuild({ name: "Bonus" }) }))();
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const reply = await runCommandFinal("invite", "bonus", [opt.user("member", userAged(100).id), ...options], ctx);
    expect(replyText(reply.body.data)).toContain(message);
    const rows = await withDb((db) => db.execute(sql`select 1 from inviter_bonuses where guild_id = ${guild.id}`));
    expect(rows.rows).toHaveLength(0);
  });

  it("keeps /invite bonus for Manage Server", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Bonus perms" });
    const reply = await runCommandFinal("invite", "bonus", [opt.user("member", userAged(100).id), opt.int("amount", 1), opt.str("reason", "x")], {
      guildId: guild.id,
      channelId: guild.channels[0]!.id,
      permissions: "0",
    });
    expect(replyText(reply.body.data)).toContain("Manage Server");
  });
});

describe("the stored ranking", () => {
  it("is reused for 5 minutes, and recomputed after a bonus or when older", async () => {
    const { guild, ctx } = await trackedGuild("Ranking");
    const inviter = userAged(500).id;
    const code = `rk${guild.id.slice(-6)}`;
    const addJoins = (n: number) =>
      withDb((db) =>
        db.insert(inviteJoins).values(Array.from({ length: n }, () => ({ guildId: guild.id, userId: userAged(900).id, joinedAt: new Date(), inviteCode: code, method: "diff" as const }))),
      );
    await withDb((db) => db.insert(invites).values({ code, guildId: guild.id, inviterId: inviter }));
    await addJoins(2);
    const board = async () => replyText((await runCommandFinal("invites", "leaderboard", [], ctx)).body.data);
    expect(await board()).toContain(`1. <@${inviter}>: **2** invites`);
    await addJoins(1);
    expect(await board()).toContain(`1. <@${inviter}>: **2** invites`);
    await runCommandFinal("invite", "bonus", [opt.user("member", inviter), opt.int("amount", 1), opt.str("reason", "x")], ctx);
    expect(await board()).toContain(`1. <@${inviter}>: **4** invites`);
    await addJoins(1);
    await withDb((db) => db.execute(sql`update leaderboard_snapshots set computed_at = now() - interval '6 minutes' where guild_id = ${guild.id}`));
    expect(await board()).toContain(`1. <@${inviter}>: **5** invites`);
  });
});
