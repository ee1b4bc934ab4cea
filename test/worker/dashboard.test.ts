import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countedUses, invitations, inviteJoins, invites, inviteSources, members } from "../../schema";
import { signLink } from "../../worker/dashboard/token";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { userAged } from "./support/inviters";
import { replyText, runCommandFinal } from "./support/interactions";

const DAY = 86_400_000;
const get = (path: string) => exports.default.fetch(`https://bot.test${path}`);

const AVATAR = "a_0123456789abcdef0123456789abcdef";

describe("the dashboard", () => {
  it("opens from /invite dashboard's signed link: chart, sources with retention, inviters, funnel, CSV", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Dashboard" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const inviter = userAged(700).id;
    await withDb(async (db) => {
      const [reddit, forum] = await db.insert(inviteSources).values([{ guildId: guild.id, name: "Reddit <b>" }, { guildId: guild.id, name: "Forum" }]).returning();
      await db.insert(invites).values({ code: `db${guild.id.slice(-6)}`, guildId: guild.id, inviterId: inviter, sourceId: reddit!.id });
      const joins = [
        ...Array.from({ length: 4 }, (_, i) => ({ sourceId: reddit!.id, at: Date.now() - i * DAY, code: `db${guild.id.slice(-6)}` })),
        ...Array.from({ length: 2 }, (_, i) => ({ sourceId: forum!.id, at: Date.now() - (i + 3) * DAY, code: null })),
        // Reddit's fifth, whom the diff could not name, and a Discovery join.
        { sourceId: null, at: Date.now() - 2 * DAY, code: null },
        { sourceId: null, at: Date.now() - DAY, code: null },
      ].map((j) => ({
        guildId: guild.id,
        userId: userAged(400).id,
        joinedAt: new Date(j.at),
        sourceId: j.sourceId,
        inviteCode: j.code,
        method: j.sourceId === null ? ("unresolved" as const) : ("diff" as const),
      }));
      await db.insert(inviteJoins).values(joins);
      // Reddit's invite counted five uses, four of them named; Forum's joins predate the ledger.
      await db.insert(countedUses).values({ guildId: guild.id, code: `db${guild.id.slice(-6)}`, uses: 5, how: "snapshot", countedFrom: new Date(Date.now() - 3 * DAY - 60_000), countedAt: new Date(Date.now() - 3 * DAY) });
      // One of Reddit's four named has left: 75 % retention.
      await db.insert(members).values(joins.map((j, i) => ({ guildId: guild.id, userId: j.userId, joinedAt: j.joinedAt, leftAt: i === 0 ? new Date() : null })));
      // The inviter, who has left, keeps the last name and avatar seen.
      await db.insert(members).values({ guildId: guild.id, userId: inviter, joinedAt: new Date(Date.now() - 90 * DAY), leftAt: new Date(), username: "ada", globalName: "Ada <Lovelace>", avatar: AVATAR });
    });
    const reply = replyText((await runCommandFinal("invite", "dashboard", [], ctx)).body.data);
    const link = new URL(/(https:\/\/\S+)/.exec(reply)![1]!);
    expect(link.origin).toBe(env.PUBLIC_URL);
    const response = await get(`${link.pathname}${link.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const html = await response.text();
    expect(html).not.toContain("<script");
    // Named after the server (from Discord), not its id.
    expect(html).toContain("<title>Dashboard · Invite dashboard</title>");
    expect(html).toContain("Dashboard. This link stops working at");
    expect(html).not.toContain(`Server ${guild.id}`);
    expect(html).toContain("<svg");
    expect(html.match(/<rect class="bar"/g)!.length).toBeGreaterThanOrEqual(6);
    expect(html).toContain(">Reddit &lt;b&gt;</text>");
    expect(html).toMatch(/<td>Reddit &lt;b&gt;<\/td><td class="n">5<\/td><td class="n">4<\/td><td class="n">3<\/td><td class="n">75.0 %<\/td>/);
    expect(html).toMatch(/<td>Unattributed<\/td><td class="n">1<\/td>/);
    expect(html).toContain("<h2>Top inviters (all time)</h2>");
    const face = `<img class="avatar" src="https://cdn.discordapp.com/avatars/${inviter}/${AVATAR}.png?size=64" width="24" height="24" alt=""/>Ada &lt;Lovelace&gt; <span class="muted">${inviter}</span>`;
    expect(html).toContain(`<td>${face}</td><td class="n">3</td><td class="n">4</td><td class="n">1</td>`);
    expect(html).not.toContain('id="funnel"');
    expect(html).toContain(`href="/dashboard/export.csv?t=${link.searchParams.get("t")}"`);

    await withDb((db) =>
      db.insert(invitations).values([
        { guildId: guild.id, code: `c1${guild.id}`, inviterId: inviter, notifiedAt: new Date(), spentAt: new Date() },
        { guildId: guild.id, code: `c2${guild.id}`, inviterId: inviter, notifiedAt: new Date() },
      ]),
    );
    const withFunnel = await (await get(`${link.pathname}${link.search}`)).text();
    expect(withFunnel).toMatch(/<td>Spent \(a friend joined\)<\/td><td class="n">1<\/td><td class="n">50.0 %<\/td>/);
    const csv = await get(`/dashboard/export.csv?t=${link.searchParams.get("t")}`);
    // A header, one line per join (8), and the final line break.
    expect((await csv.text()).split("\r\n")).toHaveLength(10);
  });

  it("refuses a forged, altered, expired or too far-reaching link with 401 and says how to get a new one", async () => {
    const guild = "123456789012345678";
    const good = await signLink(env.DISCORD_BOT_TOKEN, { guildId: guild, adminId: "200000000000000001", expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const wrongKey = await signLink("another secret", { guildId: guild, adminId: "200000000000000001", expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const expired = await signLink(env.DISCORD_BOT_TOKEN, { guildId: guild, adminId: "200000000000000001", expiresAt: Math.floor(Date.now() / 1000) - 5 });
    const farAhead = await signLink(env.DISCORD_BOT_TOKEN, { guildId: guild, adminId: "200000000000000001", expiresAt: Math.floor(Date.now() / 1000) + 86_400 });
    const otherGuild = good.replace(guild, "123456789012345679");
    const later = good.replace(/\.(\d{10})\./, (_, t: string) => `.${Number(t) + 3600}.`);
    for (const [token, says] of [
      [wrongKey, "not made by this bot"],
      [otherGuild, "not made by this bot"],
      [later, "not made by this bot"],
      [expired, "It has expired."],
      [farAhead, "further ahead than any link this bot makes"],
      ["", "not made by this bot"],
    ] as const) {
      const response = await get(`/dashboard?t=${token}`);
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(text).toContain(says);
      expect(text).toContain("/invite dashboard");
    }
    expect((await get("/dashboard")).status).toBe(401);
    expect((await get(`/dashboard?t=${good}`)).status).toBe(200);
  });
});
