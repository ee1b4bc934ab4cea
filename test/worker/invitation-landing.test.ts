import { SYSTEM_FONT_STACK } from "../../worker/charts/fonts";
import { exports } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations, inviteJoins, sourceMarks } from "../../schema";
import { writeOutboxItem } from "../../worker/guild-invites/writer";
import { newInvitationCode } from "../../worker/invitations/code";
import { mintWave } from "../../worker/invitations/mint";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { knownGuild } from "./support/guild";
import { insertMembers, invitationsOf, newUserId } from "./support/invitations";
import { databaseOutage, eventually } from "./support/relay";

let addressCounter = 0;
const newAddress = () => `198.51.100.${++addressCounter}`;

/**
 * The limit counts per minute (wrangler.toml): a test counting up to it waits
 * out the minute's last 15 seconds, so its requests fall in one window.
 */
async function awayFromLimitWindowEnd() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

const page = (code: string, method = "GET", address = newAddress()) =>
  exports.default.fetch(`https://bot.test/i/${code}`, { method, headers: { "CF-Connecting-IP": address }, redirect: "manual" });

/** A guild whose members include `inviter`, with one invitation for them. */
async function invitationIn(guild: { id: string }, inviterId: string, expiresDays = 7) {
  const result = await withDb((db) =>
    mintWave(db, { guildId: guild.id, policy: { name: "unspent", minDays: 0 }, count: 1, expiresDays, createdBy: null, dryRun: false, now: new Date() }),
  );
  expect(result.recipients).toEqual([inviterId]);
  const [row] = await invitationsOf(guild.id);
  return row!;
}

async function guildWithInviter(name: string) {
  const inviterId = newUserId();
  const guild = await fakeDiscord.createGuild({ name, members: [{ user: { id: inviterId, username: "ada", global_name: "Ada Lovelace" } }] });
  await insertMembers(guild.id, [{ userId: inviterId, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
  return { guild, inviterId, invitation: await invitationIn(guild, inviterId) };
}

const channelInviteRequests = async (guild: { channels: Array<{ id: string }> }) =>
  (await Promise.all(guild.channels.map((c) => fakeDiscord.requests(`/channels/${c.id}/invites`)))).flat();

describe("GET /i/:code", () => {
  it("shows the server, the inviter, the expiry and an Accept button, with Open Graph tags, and creates nothing", async () => {
    const { guild, invitation } = await guildWithInviter("Landing Lounge");
    const response = await page(invitation.code);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain("<h1>Landing Lounge</h1>");
    expect(html).toContain("<strong>Ada Lovelace</strong> invites you to join.");
    // In the reader's language (no Accept-Language: the server's, English here), dates by Intl.
    expect(html).toMatch(/valid until \w+ \d{1,2}, \d{4}/);
    expect(html).toContain('<html lang="en-US">');
    expect(response.headers.get("content-language")).toBe("en-US");
    expect(response.headers.get("vary")).toContain("Accept-Language");
    // "Join with Discord" first, the invite link second.
    expect(html).toContain(
      `<form method="post" action="/i/${invitation.code}/discord"><button type="submit">Join with Discord</button></form><form method="post" action="/i/${invitation.code}"><button type="submit" class="second">Accept with an invite link</button></form>`,
    );
    expect(html).toContain('<meta property="og:title" content="Ada Lovelace invites you to Landing Lounge"/>');
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain("<script");
    // Link previews fetch the page: nothing may be spent or created by a GET.
    await page(invitation.code);
    expect(await channelInviteRequests(guild)).toEqual([]);
    const [after] = await invitationsOf(guild.id);
    expect(after).toMatchObject({ discordInviteCode: null, spentAt: null, invitedId: null, inviterName: "Ada Lovelace" });
  });

  it.each([
    ["an invitation", true],
    ["a message", false],
  ])("%s page keeps its stylesheet as CSS, not HTML-escaped text, and still escapes the server's name", async (_, valid) => {
    const { invitation } = await guildWithInviter("</style><script>alert(1)</script>");
    const html = await (await page(valid ? invitation.code : "A".repeat(22))).text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    expect(style).toContain(`font:16px/1.5 ${SYSTEM_FONT_STACK}`);
    expect(style).not.toContain("&quot;");
    expect(html).not.toContain("<script>");
  });

  it.each(["A".repeat(22), "not-a-code", "x".repeat(300)])("answers 404 for the unknown code %s", async (code) => {
    const response = await page(code);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("No such invitation");
  });

  it.each([
    ["revoked", { revokedAt: new Date() }, "This invitation was withdrawn"],
    ["spent", { spentAt: new Date(), invitedId: "123456789012345678" }, "This invitation has been used"],
    ["expired", { expiresAt: new Date(Date.now() - 1000) }, "This invitation has expired"],
  ])("answers 410 for a %s invitation, on GET and POST", async (_label, patch, text) => {
    const { guild, invitation } = await guildWithInviter("Gone");
    await withDb((db) => db.update(invitations).set(patch).where(eq(invitations.id, invitation.id)));
    const get = await page(invitation.code);
    expect(get.status).toBe(410);
    expect(await get.text()).toContain(text);
    const post = await page(invitation.code, "POST");
    expect(post.status).toBe(410);
    expect(await channelInviteRequests(guild)).toEqual([]);
  });

  it("rate-limits failed lookups per client address", async () => {
    const { invitation } = await guildWithInviter("Guessers");
    const address = newAddress();
    await awayFromLimitWindowEnd();
    for (let i = 0; i < 20; i++) expect((await page(`guess${i}`.padEnd(22, "x"), "GET", address)).status).toBe(404);
    expect((await page("one-more-guess".padEnd(22, "x"), "GET", address)).status).toBe(429);
    // Even a real code: the address is cut off from lookups for a while.
    expect((await page(invitation.code, "GET", address)).status).toBe(429);
    expect((await page(invitation.code, "POST", address)).status).toBe(429);
    // Others are not.
    expect((await page(invitation.code, "GET", newAddress())).status).toBe(200);
  });

  it("counts concurrent requests exactly: 40 at once from one address get 20 answers and 20 refusals", async () => {
    const address = newAddress();
    await awayFromLimitWindowEnd();
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => page(`burst${i}`.padEnd(22, "x"), "GET", address).then((r) => r.status)));
    expect(statuses.filter((s) => s === 404)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it("rate-limits valid codes too: an address may not have a page drawn without end", async () => {
    const { invitation } = await guildWithInviter("Reloaders");
    const address = newAddress();
    await awayFromLimitWindowEnd();
    for (let i = 0; i < 20; i++) expect((await page(invitation.code, "GET", address)).status).toBe(200);
    expect((await page(invitation.code, "GET", address)).status).toBe(429);
  });

  it("refuses an address over the limit without asking Postgres, and answers a code just found unknown without a query", async () => {
    const address = newAddress();
    const code = "knownunknown".padEnd(22, "x");
    await awayFromLimitWindowEnd();
    expect((await page(code)).status).toBe(404);
    for (let i = 0; i < 20; i++) await page(code, "GET", address);
    await databaseOutage(true);
    try {
      expect((await page(code, "GET", address)).status).toBe(429);
      const again = await page(code);
      expect(again.status).toBe(404);
      expect(await again.text()).toContain("No such invitation");
    } finally {
      await databaseOutage(false);
    }
  });

  it("holds one database connection per request: 60 concurrent lookups from 60 addresses all get their answer", async () => {
    // Postgres allows 100 connections: at two per request, these would be refused.
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => page(`crowd${i}`.padEnd(22, "x")).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 404)).toEqual([]);
  });

  it("asks Discord once for a page's facts, whether Discord found them or refused", async () => {
    // A server the bot cannot read, and an inviter Discord does not know: each view would ask again.
    const guildId = newUserId();
    const inviterId = newUserId();
    await insertMembers(guildId, [{ userId: inviterId, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
    const invitation = await invitationIn({ id: guildId }, inviterId);
    for (let i = 0; i < 3; i++) {
      const response = await page(invitation.code);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("invites you to join");
    }
    const asked = await fakeDiscord.requests(`/guilds/${guildId}`);
    expect(asked.map((r) => `${r.path} ${r.status}`).sort()).toEqual([`/guilds/${guildId} 404`, `/guilds/${guildId}/members/${inviterId} 404`]);
  });

  it("answers a page, not JSON, when the database is down", async () => {
    const { invitation } = await guildWithInviter("Outage");
    await databaseOutage(true);
    try {
      const response = await page(invitation.code);
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(await response.text()).toContain("could not be opened just now");
    } finally {
      await databaseOutage(false);
    }
  });
});

describe("a departed member's invitations", () => {
  it("are withdrawn when they leave (GUILD_MEMBER_REMOVE), their live one-time Discord invite deleted, the page answers 410; a spent one and other members' stay", async () => {
    const [leaver, stayer] = [newUserId(), newUserId()];
    const guild = await knownGuild("Departures", BigInt(newUserId()) + 1000n, [
      { user: { id: leaver, username: "leaver" } },
      { user: { id: stayer, username: "stayer" } },
    ]);
    const day = 86_400_000;
    await insertMembers(guild.guildId, [leaver, stayer].map((userId) => ({ userId, joinedAt: new Date(Date.now() - day), leftAt: null, bot: false })));
    const expiresAt = new Date(Date.now() + 7 * day);
    await withDb((db) =>
      db.insert(invitations).values([
        { guildId: guild.guildId, code: newInvitationCode(), inviterId: leaver, expiresAt },
        { guildId: guild.guildId, code: newInvitationCode(), inviterId: leaver, expiresAt, spentAt: new Date(), invitedId: "123456789012345678" },
        { guildId: guild.guildId, code: newInvitationCode(), inviterId: stayer, expiresAt },
      ]),
    );
    const [unspent, spent, others] = await invitationsOf(guild.guildId);
    // A friend pressed Accept before the departure: the one-time Discord invite is live.
    const accepted = await page(unspent!.code, "POST");
    const discordCode = /discord\.gg\/(.+)$/.exec(accepted.headers.get("location")!)![1]!;
    expect((await fakeDiscord.guildInvites(guild.guildId)).map((i) => i.code)).toContain(discordCode);
    await fakeDiscord.leave(guild.guildId, leaver);
    await guild.gateway.forward();
    const withdrawn = await eventually(async () => {
      const [row] = (await invitationsOf(guild.guildId)).filter((r) => r.id === unspent!.id);
      return row?.revokedAt ? row : undefined;
    }, 30_000, "the departed member's invitation withdrawn");
    expect(withdrawn.spentAt).toBeNull();
    const after = new Map((await invitationsOf(guild.guildId)).map((r) => [r.id, r]));
    expect(after.get(spent!.id)).toMatchObject({ revokedAt: null, invitedId: "123456789012345678" });
    expect(after.get(others!.id)?.revokedAt).toBeNull();
    // ...and can no longer bring anyone in on the departed member's behalf.
    await eventually(async () => (!(await fakeDiscord.guildInvites(guild.guildId)).some((i) => i.code === discordCode) ? true : undefined), 15_000, "the Discord invite deleted");
    for (const method of ["GET", "POST"]) {
      const response = await page(unspent!.code, method);
      expect(response.status).toBe(410);
      expect(await response.text()).toContain("the member who sent it has left the server");
    }
  });
});

describe("POST /i/:code", () => {
  it("creates a single-use, short-lived, unique Discord invite and redirects there; a second click reuses it", async () => {
    const { guild, invitation } = await guildWithInviter("Accept");
    const response = await page(invitation.code, "POST");
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    const [, code] = /^https:\/\/discord\.gg\/([A-Za-z0-9-]+)$/.exec(location)!;
    const sent = await channelInviteRequests(guild);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ max_uses: 1, unique: true, max_age: 1800 });
    expect((await fakeDiscord.guildInvites(guild.id)).find((i) => i.code === code)).toMatchObject({ max_uses: 1, uses: 0 });
    const [row] = await invitationsOf(guild.id);
    expect(row).toMatchObject({ discordInviteCode: code, spentAt: null });

    const again = await page(invitation.code, "POST");
    expect(again.headers.get("location")).toBe(location);
    expect(await channelInviteRequests(guild)).toHaveLength(1);
  });

  it("marks the invitation's invite with the guild's one Invited role, made once; without Manage Roles the invite is made unmarked", async () => {
    const { guild, invitation } = await guildWithInviter("Invited mark");
    await page(invitation.code, "POST");
    const marks = await withDb((db) => db.select().from(sourceMarks).where(eq(sourceMarks.guildId, guild.id)));
    expect(marks).toMatchObject([{ sourceId: null, createdByBot: true }]);
    const [sent] = await channelInviteRequests(guild);
    expect(sent!.body).toMatchObject({ max_uses: 1, role_ids: [marks[0]!.roleId] });
    const made = (await fakeDiscord.requests(`/guilds/${guild.id}/roles`)).filter((r) => r.method === "POST");
    expect(made.map((r) => r.body)).toEqual([{ name: "Invited", permissions: 0, hoist: false, mentionable: false }]);

    // A second invitation reuses the mark; the bot losing Manage Roles leaves the next one unmarked.
    const other = await withDb(async (db) => {
      const code = newInvitationCode();
      await db.insert(invitations).values({ guildId: guild.id, inviterId: invitation.inviterId, code });
      return code;
    });
    await fakeDiscord.botRole(guild.id, { permissions: String(1n << 0n) });
    expect((await page(other, "POST")).status).toBe(303);
    const bodies = (await channelInviteRequests(guild)).map((r) => r.body as { role_ids?: string[] });
    expect(bodies.map((b) => b.role_ids)).toEqual([[marks[0]!.roleId], [marks[0]!.roleId], undefined]);
    expect((await fakeDiscord.requests(`/guilds/${guild.id}/roles`)).filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("uses the configured invitation channel", async () => {
    const { guild, invitation } = await guildWithInviter("Configured");
    const channel = guild.channels.find((c) => c.type === 0 && c.id !== guild.channels[0]!.id) ?? guild.channels[0]!;
    await withDb((db) => db.execute(sql`insert into invitation_settings (guild_id, invitation_channel_id) values (${guild.id}, ${channel.id})`));
    expect((await page(invitation.code, "POST")).status).toBe(303);
    expect(await fakeDiscord.requests(`/channels/${channel.id}/invites`)).toHaveLength(1);
  });
});

describe("exact attribution", () => {
  it("a join through an invitation's single-use invite spends exactly that invitation, even beside a join in the same second", async () => {
    const inviterId = newUserId();
    const guild = await knownGuild("Exact invitations", BigInt(newUserId()) + 1000n, [
      { user: { id: inviterId, username: "ada", global_name: "Ada" } },
    ]);
    await insertMembers(guild.guildId, [{ userId: inviterId, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
    const invitation = await invitationIn({ id: guild.guildId }, inviterId);
    const accepted = await page(invitation.code, "POST");
    const discordCode = /discord\.gg\/(.+)$/.exec(accepted.headers.get("location")!)![1]!;
    await guild.gateway.forward(); // INVITE_CREATE of the single-use invite

    const friend = newUserId();
    const stranger = newUserId();
    await Promise.all([
      fakeDiscord.join(discordCode, { id: friend, username: "friend" }),
      fakeDiscord.join(guild.code, { id: stranger, username: "stranger" }),
    ]);
    await guild.gateway.forward();

    const spent = await eventually(async () => {
      const [row] = await invitationsOf(guild.guildId);
      return row?.spentAt ? row : undefined;
    }, 30_000, "the invitation spent");
    expect(spent.invitedId).toBe(friend);
    const joins = await eventually(async () => {
      const rows = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.guildId)));
      return rows.length === 2 ? rows : undefined;
    }, 30_000, "both joins written");
    const byUser = new Map(joins.map((j) => [j.userId, j]));
    expect(byUser.get(friend)).toMatchObject({ invitationId: invitation.id, inviteCode: discordCode });
    expect(byUser.get(friend)!.joinedAt.getTime()).toBe(spent.spentAt!.getTime());
    expect(byUser.get(stranger)?.invitationId ?? null).toBeNull();
    // The guild's object tells the inviter as soon as the join is written, without waiting for the cron.
    await eventually(async () => ((await fakeDiscord.dms(inviterId)).some((m) => m.content.includes(`<@${friend}> joined with your invitation`)) ? true : undefined), 15_000, "the inviter's DM");
    expect((await invitationsOf(guild.guildId))[0]!.announcedAt).not.toBeNull();
  });
});

describe("the writer and invitations", () => {
  const joinItem = (guildId: string, userId: string, joinedAt: number, invitationId: number | null, inviteCode: string | null) => ({
    kind: "join" as const,
    guildId,
    userId,
    joinedAt,
    didRejoin: false,
    method: "diff" as const,
    inviteCode,
    invitationId,
    candidates: null,
    groupId: null,
  });

  it("spends an invitation once, finds it by its Discord code, and moves the spend when a verdict is revised", async () => {
    const inviterId = newUserId();
    const guild = await fakeDiscord.createGuild({ name: "Writer" });
    await insertMembers(guild.id, [{ userId: inviterId, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
    const result = await withDb((db) =>
      mintWave(db, { guildId: guild.id, policy: { name: "unspent", minDays: 0 }, count: 1, expiresDays: 7, createdBy: null, dryRun: false, now: new Date() }),
    );
    expect(result.recipients).toHaveLength(1);
    const [first] = await invitationsOf(guild.id);
    await withDb((db) => db.update(invitations).set({ discordInviteCode: `w${guild.id}` }).where(eq(invitations.id, first!.id)));
    const second = (await withDb((db) =>
      db.insert(invitations).values({ guildId: guild.id, code: `second-${guild.id}`, inviterId, discordInviteCode: `x${guild.id}` }).returning(),
    ))[0]!;
    const friend = newUserId();
    const joinedAt = Date.now() - 1000;

    // The object did not know the code: the writer finds the invitation by it.
    await withDb((db) => writeOutboxItem(db, joinItem(guild.id, friend, joinedAt, null, `w${guild.id}`)));
    let rows = await invitationsOf(guild.id);
    expect(rows.find((r) => r.id === first!.id)).toMatchObject({ invitedId: friend, spentAt: new Date(joinedAt) });

    // Someone else joining through the same (single-use) code cannot spend it again.
    const other = newUserId();
    await withDb((db) => writeOutboxItem(db, joinItem(guild.id, other, joinedAt + 5, first!.id, `w${guild.id}`)));
    rows = await invitationsOf(guild.id);
    expect(rows.find((r) => r.id === first!.id)!.invitedId).toBe(friend);

    // A revised verdict names the other invitation: the spend moves with it.
    await withDb((db) => writeOutboxItem(db, joinItem(guild.id, friend, joinedAt, second.id, `x${guild.id}`)));
    rows = await invitationsOf(guild.id);
    expect(rows.find((r) => r.id === first!.id)).toMatchObject({ invitedId: null, spentAt: null });
    expect(rows.find((r) => r.id === second.id)).toMatchObject({ invitedId: friend, spentAt: new Date(joinedAt) });
  });

  it("withdraws the invitations of a member whose join is written after they already left", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Writer departures" });
    const member = newUserId();
    const joinedAt = Date.now() - 60_000;
    await withDb((db) => db.insert(invitations).values({ guildId: guild.id, code: newInvitationCode(), inviterId: member }));
    await withDb((db) => writeOutboxItem(db, { ...joinItem(guild.id, member, joinedAt, null, null), leftAt: joinedAt + 1000 }));
    const [row] = await invitationsOf(guild.id);
    expect(row!.revokedAt).toEqual(new Date(joinedAt + 1000));
  });
});
