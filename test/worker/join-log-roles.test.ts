import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { afterOutboxWrite } from "../../worker/inviters/effects";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runCommandFinal } from "./support/interactions";
import { joinRows, trackedGuild, userAged } from "./support/inviters";
import { eventually, relayEvent } from "./support/relay";

const MANAGE_ROLES_ONLY = String(1n << 28n);

describe("no invite rewards", () => {
  it("grants no role to an inviter for their count, even where rewards were set up, and a stale /invite rewards says why it is gone", async () => {
    const inviter = userAged(500);
    const { guild, ctx, play } = await trackedGuild("No rewards", [{ user: inviter }]);
    await fakeDiscord.botRole(guild.id, { position: 5 });
    const recruiter = await fakeDiscord.createRole(guild.id, { name: "Recruiter", position: 2 });
    // A reward set up before the command was removed, kept by the migration as history.
    await withDb((db) => db.execute(`insert into retired_reward_roles (guild_id, role_id, invites) values ('${guild.id}', '${recruiter.id}', 1)`));

    for (const sub of ["rewards add", "rewards remove", "rewards list"]) {
      const reply = replyText((await runCommandFinal("invite", sub, [opt.int("invites", 1), opt.role("role", recruiter.id)], ctx)).body.data);
      expect(reply).toContain("`/invite rewards` has been removed");
      expect(reply).toContain("Platform Manipulation Policy prohibits invite rewards");
    }

    const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: inviter.id });
    const member = userAged(300);
    await play(code, member);
    const bonus = replyText((await runCommandFinal("invite", "bonus", [opt.user("member", inviter.id), opt.int("amount", 5), opt.str("reason", "drive")], ctx)).body.data);
    expect(bonus).toContain("They now have");
    // What used to follow a write (and grant the role) is run again, to the end, before looking.
    const [row] = await joinRows(guild.id);
    const item = { kind: "join" as const, guildId: guild.id, userId: member.id, joinedAt: row!.joinedAt.getTime(), didRejoin: false, method: "diff" as const, inviteCode: code, invitationId: null, candidates: null, groupId: null };
    await withDb((db) => afterOutboxWrite(db, env, item));

    expect(await fakeDiscord.requests(`/guilds/${guild.id}/members/${inviter.id}/roles/`)).toEqual([]);
    expect(await fakeDiscord.memberRoles(guild.id, inviter.id)).not.toContain(recruiter.id);
    expect((await withDb((db) => db.execute(`select count(*)::int as n from retired_reward_roles where guild_id = '${guild.id}'`))).rows[0]).toEqual({ n: 1 });
  }, 60_000);
});

describe("roles in the simulator", () => {
  it("the simulator refuses role changes the way Discord does", async () => {
    const member = userAged(100);
    const guild = await fakeDiscord.createGuild({ name: "Hierarchy", members: [{ user: member }], bot_permissions: MANAGE_ROLES_ONLY });
    const low = await fakeDiscord.createRole(guild.id, { name: "Low", position: 0 });
    const high = await fakeDiscord.createRole(guild.id, { name: "High", position: 3 });
    const put = (roleId: string, userId = member.id) =>
      fetch(`${new URL(env.DISCORD_API_BASE).toString().replace(/\/$/, "")}/guilds/${guild.id}/members/${userId}/roles/${roleId}`, {
        method: "PUT",
        headers: { Authorization: "Bot test" },
      });
    expect((await put(low.id)).status).toBe(204);
    expect(await (await put(high.id)).json()).toMatchObject({ code: 50013 });
    expect(await (await put("123456789012345678")).json()).toMatchObject({ code: 10011 });
    expect(await (await put(low.id, "123456789012345678")).json()).toMatchObject({ code: 10007 });
    await fakeDiscord.botRole(guild.id, { permissions: "0" });
    expect((await put(low.id)).status).toBe(403);
  });
});

describe("join and leave log", () => {
  it("refuses an unknown placeholder on save and previews a good template", async () => {
    const { ctx } = await trackedGuild("Templates");
    const refused = replyText((await runCommandFinal("invite", "settings", [opt.str("join_message", "Hi {member}, from {inviterr} {nope}")], ctx)).body.data);
    expect(refused).toContain("The `join_message` was not saved");
    expect(refused).toContain("`{inviterr}` is not a placeholder");
    expect(refused).toContain("`{nope}`");
    const saved = replyText((await runCommandFinal("invite", "settings", [opt.str("join_message", "Welcome {member}! Invited by {inviter} ({invites})")], ctx)).body.data);
    expect(saved).toContain("Settings saved");
    expect(saved).toContain("**Join message preview:**\n> Welcome <@200000000000000001>! Invited by <@200000000000000001> (12)");
  });

  it("keeps the settings reply within Discord's embed limits however long the two previews are", async () => {
    const { ctx } = await trackedGuild("Long templates");
    // 999 characters each, 2,331 once every {inviter} is a mention: two previews of 2,000 overflow one embed's 4,096.
    const long = "{inviter}".repeat(111);
    const { body } = await runCommandFinal("invite", "settings", [opt.str("join_message", long), opt.str("leave_message", long)], ctx);
    const embeds = (body.data as { embeds?: Array<{ title?: string; description?: string }> }).embeds ?? [];
    const joinLog = embeds.find((e) => e.title === "Inviters and join log");
    expect(joinLog?.description).toContain("**Join message preview:**");
    expect(joinLog!.description!.length).toBeLessThanOrEqual(4_096);
    expect(joinLog!.description!.endsWith("…")).toBe(true);
    const total = embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(6_000);
  });

  it("posts each join once when its verdict is known and each leave, pinging only the member and the inviter", async () => {
    const inviter = userAged(500);
    const { guild, ctx, gateway, play, leave } = await trackedGuild("Join log", [{ user: inviter }]);
    const logChannel = ctx.channelId;
    await runCommandFinal(
      "invite",
      "settings",
      [
        opt.channel("join_log_channel", logChannel),
        opt.str("join_message", "@everyone {member} came via {source} {code}, invited by {inviter} ({invites}), account {account_age} old"),
        opt.str("leave_message", "{member} left (invited by {inviter})"),
      ],
      ctx,
    );
    const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: inviter.id });
    const member = userAged(40);
    await play(code, member);
    const messages = () => fakeDiscord.channelMessages(logChannel);
    const [posted] = await eventually(async () => ((await messages()).length >= 1 ? messages() : undefined), 10_000, "join message");
    expect(posted!.content).toBe(`@everyone <@${member.id}> came via an unlabelled invite \`${code}\`, invited by <@${inviter.id}> (1), account 1 month old`);
    const sent = (await fakeDiscord.requests(`/channels/${logChannel}/messages`)).filter((r) => r.method === "POST");
    expect(sent.at(-1)!.body).toMatchObject({ allowed_mentions: { parse: [], users: [member.id, inviter.id] } });

    // The same join delivered again (a new gateway session replays it) and written again: no second message.
    const [row] = await joinRows(guild.id);
    const item = { kind: "join" as const, guildId: guild.id, userId: member.id, joinedAt: row!.joinedAt.getTime(), didRejoin: false, method: "diff" as const, inviteCode: code, invitationId: null, candidates: null, groupId: null };
    await withDb((db) => afterOutboxWrite(db, env, item));
    const events = await gateway.pending();
    expect(events).toEqual([]);
    const replayed = await relayEvent(`${guild.id}:replayed-add`, "GUILD_MEMBER_ADD", {
      guild_id: guild.id,
      user: { id: member.id, username: member.username },
      joined_at: row!.joinedAt.toISOString(),
      roles: [],
      flags: 0,
    });
    expect(replayed.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await messages()).toHaveLength(1);

    await leave(member);
    const all = await eventually(async () => ((await messages()).length >= 2 ? messages() : undefined), 10_000, "leave message");
    expect(all[1]!.content).toBe(`<@${member.id}> left (invited by <@${inviter.id}>)`);
    await withDb((db) => afterOutboxWrite(db, env, { kind: "member_left", guildId: guild.id, userId: member.id, leftAt: Date.now() }));
    expect(await messages()).toHaveLength(2);
  }, 60_000);

  it("says honestly when a join is unresolved", async () => {
    const { guild, ctx } = await trackedGuild("Unresolved log");
    await runCommandFinal("invite", "settings", [opt.channel("join_log_channel", ctx.channelId)], ctx);
    const member = userAged(100);
    const joinedAt = new Date();
    await withDb((db) =>
      db.execute(
        `insert into invite_joins (guild_id, user_id, joined_at, method, candidates) values ('${guild.id}', '${member.id}', '${joinedAt.toISOString()}', 'unresolved', '{a,b}')`,
      ),
    );
    await withDb((db) =>
      afterOutboxWrite(db, env, { kind: "join", guildId: guild.id, userId: member.id, joinedAt: joinedAt.getTime(), didRejoin: false, method: "unresolved", inviteCode: null, invitationId: null, candidates: ["a", "b"], groupId: null }),
    );
    const [message] = await fakeDiscord.channelMessages(ctx.channelId);
    expect(message!.content).toContain(`<@${member.id}> joined`);
    expect(message!.content).toContain("invited by someone I can't tell (the join is unresolved) via an unknown invite (unknown)");
  });

  it("says a join came through the vanity URL when member search resolved it to the guild's vanity code", async () => {
    const { guild, ctx } = await trackedGuild("Vanity log");
    await runCommandFinal("invite", "settings", [opt.channel("join_log_channel", ctx.channelId), opt.str("join_message", "{member} came via {source}")], ctx);
    const member = userAged(100);
    const joinedAt = new Date();
    await withDb(async (db) => {
      await db.execute(`select learn_vanity_code('${guild.id}', 'logvanity')`);
      await db.execute(
        `insert into invite_joins (guild_id, user_id, joined_at, method, invite_code) values ('${guild.id}', '${member.id}', '${joinedAt.toISOString()}', 'exact', 'logvanity')`,
      );
    });
    await withDb((db) =>
      afterOutboxWrite(db, env, { kind: "join", guildId: guild.id, userId: member.id, joinedAt: joinedAt.getTime(), didRejoin: false, method: "exact", inviteCode: "logvanity", invitationId: null, candidates: null, groupId: null }),
    );
    const [message] = await fakeDiscord.channelMessages(ctx.channelId);
    expect(message!.content).toBe(`<@${member.id}> came via the vanity URL`);
  });
});

describe("join log past the raid threshold", () => {
  it("posts one summary line for the joins past the threshold instead of a line each, once", async () => {
    const { guild, ctx } = await trackedGuild("Raid log");
    await runCommandFinal("invite", "settings", [opt.channel("join_log_channel", ctx.channelId)], ctx);
    const start = Date.now() - 30_000;
    // 34 joins within 30 s: the 31st and later are past 30 a minute.
    const joins = Array.from({ length: 34 }, (_, i) => ({ userId: userAged(100 + i).id, joinedAt: new Date(start + i * 500), unresolved: i === 32 }));
    await withDb(async (db) => {
      const source = await db.execute<{ id: number }>(`insert into invite_sources (guild_id, name, name_key) values ('${guild.id}', 'Reddit', 'reddit') returning id`);
      for (const j of joins) {
        await db.execute(
          `insert into invite_joins (guild_id, user_id, joined_at, method, source_id, candidates) values ('${guild.id}', '${j.userId}', '${j.joinedAt.toISOString()}', ${j.unresolved ? `'unresolved', null, '{a,b}'` : `'diff', ${source.rows[0]!.id}, null`})`,
        );
      }
    });
    const write = (j: (typeof joins)[number]) =>
      withDb((db) =>
        afterOutboxWrite(db, env, { kind: "join", guildId: guild.id, userId: j.userId, joinedAt: j.joinedAt.getTime(), didRejoin: false, method: j.unresolved ? "unresolved" : "diff", inviteCode: null, invitationId: null, candidates: j.unresolved ? ["a", "b"] : null, groupId: null }),
      );
    await write(joins[0]!); // 1 in its minute: its own line
    const firstDue = await write(joins[31]!); // 32: queued, the summary due a minute after
    expect(firstDue).toBeGreaterThan(Date.now() + 50_000);
    await write(joins[32]!);
    expect(await fakeDiscord.channelMessages(ctx.channelId)).toHaveLength(1);
    // A minute later (the claims made older), the next join carries the summary of all three.
    await withDb((db) => db.execute(`update join_log_posts set posted_at = now() - interval '61 seconds' where kind = 'queued'`));
    expect(await write(joins[33]!)).toBeNull();
    await write(joins[33]!); // written again: nothing more
    await write(joins[31]!);
    const posted = await fakeDiscord.channelMessages(ctx.channelId);
    expect(posted.map((m) => m.content).slice(1)).toEqual(["3 members joined in the last minute: 2 through Reddit, 1 unresolved."]);
  });
});
