/**
 * Invites that mark their members (issue 19), the commands' half: each source's
 * invites grant its mark on accept, the replies say when they can't, and the
 * bot's own marks come off members after the verdict when the guild asks.
 */
import { eq } from "drizzle-orm";
import { inject, describe, expect, it } from "vitest";
import { inviteJoins, sourceMarks } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import type { CommandOption } from "../../simulator/interaction-payload";
import { opt, replyText, runCommandFinal, type CommandOptions } from "./support/interactions";
import { joinRows, trackedGuild, userAged } from "./support/inviters";
import { eventually, guildStub } from "./support/relay";

const MANAGE_GUILD_ONLY = String(1n << 5n);

interface Role {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
}
const guildRoles = async (guildId: string) =>
  (await (await fetch(`${inject("discordApiBase")}/guilds/${guildId}/roles`, { headers: { Authorization: "Bot test" } })).json()) as Role[];
const codeOf = (reply: string) => /discord\.gg\/(\w+)/.exec(reply)![1]!;
const marksOf = (guildId: string) => withDb((db) => db.select().from(sourceMarks).where(eq(sourceMarks.guildId, guildId)));
const create = (ctx: CommandOptions, source: string, ...options: CommandOption[]) =>
  runCommandFinal("invite", "create", [opt.str("source", source), ...options], ctx).then((r) => replyText(r.body.data));
const invite = (ctx: CommandOptions, sub: string, ...options: CommandOption[]) =>
  runCommandFinal("invite", sub, options, ctx).then((r) => replyText(r.body.data));

describe("a mark per source", () => {
  it("/invite create makes the source's mark (no permissions, not hoisted or mentionable, no colour, below the bot), reuses it, and Discord gives it on accept", async () => {
    const { guild, ctx, play } = await trackedGuild("Marks made");
    const first = await create(ctx, "Reddit");
    const [mark] = await marksOf(guild.id);
    expect(mark).toMatchObject({ createdByBot: true });
    const role = (await guildRoles(guild.id)).find((r) => r.id === mark!.roleId)!;
    expect(role).toMatchObject({ name: "Reddit", permissions: "0", hoist: false, mentionable: false, color: 0, position: 1 });
    expect((await fakeDiscord.requests(`/guilds/${guild.id}/roles`)).filter((r) => r.method === "POST")[0]!.body).toEqual({
      name: "Reddit",
      permissions: 0,
      hoist: false,
      mentionable: false,
    });
    expect(first).toContain(`get <@&${role.id}> from Discord`);
    expect(first).toContain("I made");

    // The next invite of the source carries the same mark; no second role.
    const second = await create(ctx, "reddit");
    expect(second).not.toContain("I made");
    expect(await marksOf(guild.id)).toHaveLength(1);
    const sent = await fakeDiscord.requests(`/channels/${ctx.channelId}/invites`);
    expect(sent.map((r) => (r.body as { role_ids?: string[] }).role_ids)).toEqual([[role.id], [role.id]]);

    // The member has the mark from Discord itself; the bot gives no role.
    const member = userAged(30);
    await play(codeOf(first), member);
    expect(await fakeDiscord.memberRoles(guild.id, member.id)).toContain(role.id);
    expect(await fakeDiscord.requests(`/guilds/${guild.id}/members/${member.id}/roles/`)).toEqual([]);

    // The list and the drill-down say which invites are marked.
    const other = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId });
    const list = await invite(ctx, "list");
    expect(list).toContain(`\`${codeOf(first)}\` **Reddit** · marked`);
    expect(list).toContain(`\`${other.code}\` *no source* · 0/`);
    expect(await invite(ctx, "stats", opt.str("source", "Reddit"))).toContain(`\`${codeOf(second)}\` 0/∞ uses · marked`);
  }, 60_000);

  it("role: marks with the admin's role, and a role that marks one source is refused for another before anything is made", async () => {
    const { guild, ctx: base } = await trackedGuild("Marks chosen");
    const ctx = { ...base, userId: guild.owner_id };
    await fakeDiscord.botRole(guild.id, { position: 4 });
    const chosen = await fakeDiscord.createRole(guild.id, { name: "From Reddit", position: 2 });
    const reply = await create(ctx, "Reddit", opt.role("role", chosen.id));
    expect(reply).toContain(`get <@&${chosen.id}> from Discord`);
    expect(await marksOf(guild.id)).toMatchObject([{ roleId: chosen.id, createdByBot: false }]);

    const refused = await create(ctx, "Forum", opt.role("role", chosen.id));
    expect(refused).toContain(`<@&${chosen.id}> already marks **Reddit**: a role can mark only one source`);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(1);
    expect(await marksOf(guild.id)).toHaveLength(1);
  }, 60_000);

  it("without Manage Roles, or at Discord's 250-role cap, the invite is made unmarked and the reply says what that costs and how to fix it", async () => {
    const { guild, ctx } = await trackedGuild("Marks refused");
    await create(ctx, "Reddit");
    await fakeDiscord.botRole(guild.id, { permissions: MANAGE_GUILD_ONLY });
    // Both ways: a new source's mark can't be made, and a source's mark can no longer be given.
    for (const source of ["Reddit", "Forum"]) {
      const noPermission = await create(ctx, source);
      expect(noPermission, source).toContain("This invite is **unmarked**: I need the **Manage Roles** permission");
      expect(noPermission).toContain("named only by counting uses");
    }
    const invites = await fakeDiscord.guildInvites(guild.id);
    expect(invites.filter((i) => "roles" in i)).toHaveLength(1);
    expect(await invite(ctx, "health")).toContain("I no longer have **Manage Roles**: new invites are unmarked");

    await fakeDiscord.botRole(guild.id, { permissions: String(1n << 28n) });
    const existing = (await guildRoles(guild.id)).length;
    for (let i = existing; i < 250; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, 250 - i) }, (_, j) => fakeDiscord.createRole(guild.id, { name: `r${i + j}` })));
    }
    const capped = await create(ctx, "Blog");
    expect(capped).toContain("This invite is **unmarked**: this server has Discord's maximum of 250 roles");
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(4);
    expect(await marksOf(guild.id)).toHaveLength(1);
  }, 60_000);

  it("/invite assign says an existing invite can't be marked and suggests /invite create", async () => {
    const { guild, ctx } = await trackedGuild("Marks assign");
    const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId });
    const reply = await invite(ctx, "assign", opt.str("code", code), opt.str("source", "Forum"));
    expect(reply).toContain("Discord can't change an invite once made, so this one carries no mark");
    expect(reply).toContain("run `/invite create source:Forum`");
    expect(await marksOf(guild.id)).toEqual([]);
  }, 30_000);

  it("/invite retire keeps the mark unless delete_mark, and never deletes the admin's own role", async () => {
    const { guild, ctx: base } = await trackedGuild("Marks retired");
    const ctx = { ...base, userId: guild.owner_id };
    await create(ctx, "Reddit");
    const [made] = await marksOf(guild.id);
    const kept = await invite(ctx, "retire", opt.str("source", "Reddit"));
    expect(kept).toContain(`Its mark <@&${made!.roleId}> stays`);
    expect((await guildRoles(guild.id)).map((r) => r.id)).toContain(made!.roleId);

    await create(ctx, "Reddit");
    const deleted = await runCommandFinal("invite", "retire", [opt.str("source", "Reddit"), opt.bool("delete_mark", true)], ctx).then((r) => replyText(r.body.data));
    expect(deleted).toContain(`Deleted its mark <@&${made!.roleId}>.`);
    expect((await guildRoles(guild.id)).map((r) => r.id)).not.toContain(made!.roleId);

    const chosen = await fakeDiscord.createRole(guild.id, { name: "Forum people", position: 1 });
    await create(ctx, "Forum", opt.role("role", chosen.id));
    const own = await runCommandFinal("invite", "retire", [opt.str("source", "Forum"), opt.bool("delete_mark", true)], ctx).then((r) => replyText(r.body.data));
    expect(own).toContain(`<@&${chosen.id}> is your own role: I keep it.`);
    expect((await guildRoles(guild.id)).map((r) => r.id)).toContain(chosen.id);
  }, 60_000);
});

describe("afterwards", () => {
  it("marks:remove takes the bot's mark off after the verdict is written; a failed removal is retried and the verdict stays", async () => {
    const { guild, ctx, play } = await trackedGuild("Marks removed");
    // The mark in the GUILD_MEMBER_ADD, so the verdict is the mark's from the start.
    await fakeDiscord.behaviour(guild.id, { mark_delivery: "add" });
    expect(await invite(ctx, "settings", opt.str("marks", "remove"))).toContain("**remove**");
    const code = codeOf(await create(ctx, "Reddit"));
    const [mark] = await marksOf(guild.id);
    const removals = `/guilds/${guild.id}/members/`;
    await fakeDiscord.failures({ method: "DELETE", path_prefix: removals, count: 1, status: 500 });

    const member = userAged(30);
    await play(code, member);
    const [row] = await joinRows(guild.id);
    expect(row).toMatchObject({ userId: member.id, inviteCode: code, method: "role" });
    await eventually(async () => (!(await fakeDiscord.memberRoles(guild.id, member.id)).includes(mark!.roleId) ? true : undefined), 20_000, "mark removed");
    const tries = (await fakeDiscord.requests(removals)).filter((r) => r.method === "DELETE");
    expect(tries.map((r) => [r.path, r.status])).toEqual([
      [`/guilds/${guild.id}/members/${member.id}/roles/${mark!.roleId}`, 500],
      [`/guilds/${guild.id}/members/${member.id}/roles/${mark!.roleId}`, 204],
    ]);
    expect(await joinRows(guild.id)).toEqual([row]);
    expect((await guildStub(guild.id).status()).outboxDepth).toBe(0);

    // With keep (the default), nothing is removed.
    await invite(ctx, "settings", opt.str("marks", "keep"));
    const keeper = userAged(31);
    await play(code, keeper);
    expect(await fakeDiscord.memberRoles(guild.id, keeper.id)).toContain(mark!.roleId);
    expect((await fakeDiscord.requests(`${removals}${keeper.id}/roles/`)).length).toBe(0);
  }, 60_000);

  it("/invite health reports marked invites, joins named by mark this week, and Manage Roles", async () => {
    const { guild, ctx } = await trackedGuild("Marks health");
    await create(ctx, "Reddit");
    await withDb((db) =>
      db.insert(inviteJoins).values([
        { guildId: guild.id, userId: "760000000000009101", joinedAt: new Date(Date.now() - 3_600_000), method: "role" },
        { guildId: guild.id, userId: "760000000000009102", joinedAt: new Date(Date.now() - 9 * 86_400_000), method: "role" },
      ]),
    );
    expect(await invite(ctx, "health")).toContain("✅ **Marks:** 1 marked invite live; 1 join named by mark this week; I have **Manage Roles**");
  }, 30_000);
});
