import { exports } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations, waves } from "../../schema";
import { mintWave } from "../../worker/invitations/mint";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { insertMembers, invitationsOf, newUserId } from "./support/invitations";
import { opt, replyText, runInviteFinal } from "./support/interactions";

const day = 86_400_000;

async function guildOf(name: string, count: number) {
  const users = Array.from({ length: count }, newUserId);
  const guild = await fakeDiscord.createGuild({ name, members: users.map((id) => ({ user: { id, username: `u${id.slice(-4)}` } })) });
  await insertMembers(guild.id, users.map((userId) => ({ userId, joinedAt: new Date(Date.now() - 30 * day), leftAt: null, bot: false })));
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id }, users };
}

const mint = (guildId: string, count: number, at = new Date()) =>
  withDb((db) => mintWave(db, { guildId, policy: { name: "unspent", minDays: 0 }, count, expiresDays: 14, createdBy: null, dryRun: false, now: at }));

describe("/invite revoke", () => {
  it("revokes the member's unspent invitations and deletes their Discord invites; the page then answers 410", async () => {
    const { guild, ctx, users } = await guildOf("Revoke", 2);
    await mint(guild.id, 2);
    const rows = await invitationsOf(guild.id);
    const target = rows.find((r) => r.inviterId === users[0])!;
    const accepted = await exports.default.fetch(`https://bot.test/i/${target.code}`, { method: "POST", redirect: "manual" });
    const discordCode = /discord\.gg\/(.+)$/.exec(accepted.headers.get("location")!)![1]!;
    // An invite the member made themselves in Discord's UI.
    const own = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: users[0] });
    await withDb((db) =>
      db.execute(sql`insert into invites (code, guild_id, channel_id, inviter_id, uses, max_uses, max_age) values (${own.code}, ${guild.id}, ${ctx.channelId}, ${users[0]!}, 0, 0, 0)`),
    );

    const { body } = await runInviteFinal("revoke", [opt.user("member", users[0]!)], ctx);
    expect(replyText(body.data)).toBe(`Revoked 1 unspent invitation of <@${users[0]}> and deleted 2 Discord invites.`);
    const live = (await fakeDiscord.guildInvites(guild.id)).map((i) => i.code);
    expect(live).not.toContain(discordCode);
    expect(live).not.toContain(own.code);
    const after = await invitationsOf(guild.id);
    expect(after.find((r) => r.id === target.id)!.revokedAt).not.toBeNull();
    expect(after.find((r) => r.inviterId === users[1])!.revokedAt).toBeNull();
    expect((await exports.default.fetch(`https://bot.test/i/${target.code}`)).status).toBe(410);
  });

  it("needs Manage Server", async () => {
    const { guild, ctx, users } = await guildOf("Revoke perms", 1);
    await mint(guild.id, 1);
    const { body } = await runInviteFinal("revoke", [opt.user("member", users[0]!)], { ...ctx, permissions: "0" });
    expect(replyText(body.data)).toMatch(/Manage Server/);
    expect((await invitationsOf(guild.id))[0]!.revokedAt).toBeNull();
  });
});

describe("/invite waves", () => {
  it("shows per wave: minted, notified, spent, spend rate and median time to spend", async () => {
    const { guild, ctx } = await guildOf("Waves", 6);
    const created = new Date(Date.now() - 3 * day);
    await mint(guild.id, 4, created);
    const rows = await invitationsOf(guild.id);
    await withDb(async (db) => {
      await db.update(invitations).set({ createdAt: created }).where(eq(invitations.guildId, guild.id));
      await db.update(waves).set({ createdAt: created }).where(eq(waves.guildId, guild.id));
      await db.update(invitations).set({ notifiedAt: created }).where(eq(invitations.id, rows[0]!.id));
      await db.update(invitations).set({ notifiedAt: created }).where(eq(invitations.id, rows[1]!.id));
      await db.update(invitations).set({ spentAt: new Date(created.getTime() + 2 * 3_600_000), invitedId: newUserId() }).where(eq(invitations.id, rows[0]!.id));
      await db.update(invitations).set({ spentAt: new Date(created.getTime() + 4 * 3_600_000), invitedId: newUserId() }).where(eq(invitations.id, rows[1]!.id));
    });
    const { body } = await runInviteFinal("waves", [], ctx);
    expect(replyText(body.data)).toMatch(/#\d+\*\* <t:\d+:d> unspent: minted 4, notified 2, spent 2 \(50 %\), median time to spend 3 h/);
  });

  it("says when there are none", async () => {
    const { ctx } = await guildOf("No waves", 0);
    expect(replyText((await runInviteFinal("waves", [], ctx)).body.data)).toMatch(/No invitation waves yet/);
  });
});

describe("/invitations tree", () => {
  it("shows who invited a member and whom they invited, three levels deep, to any member", async () => {
    const { guild, ctx, users } = await guildOf("Tree", 0);
    const [a, b, c, d, e, f] = Array.from({ length: 6 }, newUserId) as [string, string, string, string, string, string];
    const edges: Array<[string, string]> = [[a, b], [b, c], [c, d], [d, e], [b, f]];
    await withDb((db) =>
      db.insert(invitations).values(
        edges.map(([inviter, invited], i) => ({
          guildId: guild.id,
          code: `tree-${guild.id}-${i}`,
          inviterId: inviter,
          invitedId: invited,
          spentAt: new Date(Date.now() - (10 - i) * day),
        })),
      ),
    );
    expect(users).toEqual([]);
    const { body } = await runInviteFinal("tree", [opt.user("member", b)], { ...ctx, command: "invitations", permissions: "0", userId: f });
    const text = replyText(body.data);
    expect(text).toContain(`Invited by <@${a}>`);
    const lines = text.split("\n");
    const at = (id: string) => lines.findIndex((l) => l.includes(`<@${id}> joined`));
    expect(lines.find((l) => l.includes(`<@${c}> joined`))).toMatch(/^\u2003└/);
    expect(lines.find((l) => l.includes(`<@${d}> joined`))).toMatch(/^\u2003\u2003└/);
    expect(lines.find((l) => l.includes(`<@${e}> joined`))).toMatch(/^\u2003\u2003\u2003└/);
    expect(at(f)).toBeGreaterThan(at(e));
    // From d: invited by c ← b ← a.
    const up = await runInviteFinal("tree", [opt.user("member", d)], { ...ctx, command: "invitations", permissions: "0" });
    expect(replyText(up.body.data)).toContain(`Invited by <@${c}> ← invited by <@${b}> ← invited by <@${a}>`);
  });

  it("shows the caller's own tree by default", async () => {
    const { ctx } = await guildOf("Tree me", 0);
    const me = newUserId();
    const { body } = await runInviteFinal("tree", [], { ...ctx, command: "invitations", permissions: "0", userId: me });
    expect(replyText(body.data)).toMatch(new RegExp(`Not invited through an invitation.\\n<@${me}>\\n.*No one has joined`));
  });
});
