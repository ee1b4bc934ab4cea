import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites, inviteSources, members } from "../../schema";
import { signLink } from "../../worker/dashboard/token";
import { ATTACH_MAX_ROWS } from "../../worker/commands/invite/export";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { userAged } from "./support/inviters";
import { opt, replyText, runCommandFinal } from "./support/interactions";

const BOT = "100000000000000001";
const ADMIN = "200000000000000001";
const get = (path: string) => exports.default.fetch(`https://bot.test${path}`);

async function exportGuild(name: string) {
  const guild = await fakeDiscord.createGuild({ name });
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id } };
}

describe("/invite export", () => {
  it("attaches a CSV of the joins with inviter and fake flag, escaped against formulas", async () => {
    const { guild, ctx } = await exportGuild("Export");
    const inviter = userAged(600).id;
    const [stayed, young, unresolved] = [userAged(300), userAged(1), userAged(200)];
    const joinedAt = new Date(Date.now() - 3_600_000);
    await withDb(async (db) => {
      const [source] = await db.insert(inviteSources).values({ guildId: guild.id, name: "=HYPERLINK(\"http://x\",\"y\")" }).returning();
      await db.insert(invites).values([
        { code: `ex1${guild.id.slice(-6)}`, guildId: guild.id, inviterId: inviter, sourceId: source!.id },
        { code: `ex2${guild.id.slice(-6)}`, guildId: guild.id, inviterId: BOT, sourceId: source!.id },
      ]);
      await db.insert(inviteJoins).values([
        { guildId: guild.id, userId: stayed.id, joinedAt, inviteCode: `ex1${guild.id.slice(-6)}`, sourceId: source!.id, method: "diff" },
        { guildId: guild.id, userId: young.id, joinedAt: new Date(joinedAt.getTime() + 1000), inviteCode: `ex2${guild.id.slice(-6)}`, sourceId: source!.id, method: "exact" },
        { guildId: guild.id, userId: unresolved.id, joinedAt: new Date(joinedAt.getTime() + 2000), method: "unresolved", candidates: ["a", "b"] },
      ]);
      // Names are the member's words: a formula in one must not run in a spreadsheet.
      await db.insert(members).values([
        { guildId: guild.id, userId: stayed.id, joinedAt, leftAt: new Date(joinedAt.getTime() + 60_000), username: "stayer", globalName: "Stayer", nick: "=cmd|' /C calc'!A0" },
        { guildId: guild.id, userId: inviter, joinedAt: new Date(joinedAt.getTime() - 1000), username: "inviter", globalName: "@SUM(1+1)" },
        { guildId: guild.id, userId: young.id, joinedAt: new Date(joinedAt.getTime() + 1000), username: "young_one" },
      ]);
    });
    const { body, interaction } = await runCommandFinal("invite", "export", [], ctx);
    expect(body.type).toBe(5);
    expect(replyText(body.data)).toContain("3 joins (all time).");
    const [file] = await fakeDiscord.webhookFiles(interaction.token);
    expect(file!.filename).toMatch(/^joins-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = file!.content.split("\r\n");
    // Every text cell quoted; an empty one is left empty.
    const row = (...cells: string[]) => cells.map((c) => (c === "" ? "" : `"${c}"`)).join(",");
    expect(lines[0]).toBe(row("member", "member_name", "joined_at", "left_at", "source", "code", "method", "inviter", "inviter_name", "fake"));
    const source = `'=HYPERLINK(""http://x"",""y"")`;
    expect(lines[1]).toBe(
      row(stayed.id, "'=cmd|' /C calc'!A0", joinedAt.toISOString(), new Date(joinedAt.getTime() + 60_000).toISOString(), source, `ex1${guild.id.slice(-6)}`, "diff", inviter, "'@SUM(1+1)", ""),
    );
    expect(lines[2]).toBe(row(young.id, "young_one", new Date(joinedAt.getTime() + 1000).toISOString(), "", source, `ex2${guild.id.slice(-6)}`, "exact", "", "", "young_account"));
    expect(lines[3]).toBe(row(unresolved.id, "", new Date(joinedAt.getTime() + 2000).toISOString(), "", "", "", "unresolved", "", "", ""));
    expect(lines[4]).toBe("");
  });

  it("links to a streamed download when there are too many rows to attach, and the link works for one hour only", async () => {
    const { guild, ctx } = await exportGuild("Big export");
    await withDb((db) =>
      db.execute(sql`
        insert into invite_joins (guild_id, user_id, joined_at, method)
        select ${guild.id}, (300000000000000000 + n)::text, now() - make_interval(secs => n), 'unresolved'
          from generate_series(1, ${ATTACH_MAX_ROWS + 1}) n`),
    );
    const { body } = await runCommandFinal("invite", "export", [], ctx);
    // Counts are written the reader's way (Intl): "50,001" in English.
    const text = replyText(body.data);
    expect(text).toContain(`${(ATTACH_MAX_ROWS + 1).toLocaleString("en-US")} joins (all time) are too many to attach`);
    const link = new URL(/(https:\/\/\S+)/.exec(text)![1]!);
    expect(link.origin).toBe(env.PUBLIC_URL);
    const response = await get(`${link.pathname}${link.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const reader = response.body!.getReader();
    let newlines = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      for (const byte of value) if (byte === 10) newlines++;
    }
    expect(newlines).toBe(ATTACH_MAX_ROWS + 2);
    // A batch at a time, not one buffer.
    expect(chunks).toBeGreaterThan(20);

    const token = link.searchParams.get("t")!;
    const forged = token.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    for (const bad of [forged, token.replace(guild.id, "123456789012345678"), "", "garbage"]) {
      const refused = await get(`/dashboard/export.csv?t=${encodeURIComponent(bad)}`);
      expect(refused.status).toBe(401);
      expect(await refused.text()).toContain("/invite dashboard");
    }
    const expired = await signLink(env.DISCORD_BOT_TOKEN, { guildId: guild.id, adminId: ADMIN, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const late = await get(`/dashboard/export.csv?t=${expired}`);
    expect(late.status).toBe(401);
    expect(await late.text()).toContain("It has expired.");
    const badDays = await get(`/dashboard/export.csv?t=${token}&days=0`);
    expect(badDays.status).toBe(400);
    expect(replyText((await runCommandFinal("invite", "export", [opt.int("days", 1)], ctx)).body.data)).toContain("too many to attach");
  }, 60_000);
});
