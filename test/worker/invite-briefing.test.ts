import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { inviteJoins, inviteSources, invites, seasons } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { replyText, runCommandFinal, runInviteFinal } from "./support/interactions";
import { decodePng } from "./support/png";

const DAY = 86_400_000;

async function attachmentPng(token: string) {
  const [message] = await fakeDiscord.webhookMessages(token);
  const { id, channel_id: channelId } = message as { id: string; channel_id: string };
  const response = await fetch(`${new URL(inject("discordApiBase")).origin}/_fake/channels/${channelId}/messages/${id}/attachments`);
  const [file] = await response.json<Array<{ filename: string; base64: string }>>();
  return { filename: file!.filename, png: await decodePng(Uint8Array.from(atob(file!.base64), (c) => c.charCodeAt(0))) };
}

describe("/invite briefing", () => {
  it("shows this week's briefing now, to the admin alone, with its chart attached; the chart follows the data", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Briefing preview" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const [reddit] = await withDb((db) => db.insert(inviteSources).values({ guildId: guild.id, name: "Reddit" }).returning());
    const now = Date.now();
    let user = 780_000_000_000_000_000n;
    const joins = (count: number, daysAgo: number) =>
      Array.from({ length: count }, () => ({ guildId: guild.id, userId: String(user++), joinedAt: new Date(now - daysAgo * DAY), sourceId: reddit!.id, method: "diff" as const }));
    await withDb((db) => db.insert(inviteJoins).values([...joins(4, 1), ...joins(2, 9)]));

    const first = await runInviteFinal("briefing", [], ctx);
    expect(first.body.type).toBe(5);
    expect(first.body.data.flags).toBe(64);
    const text = replyText(first.body.data);
    expect(text).toContain("Preview of this week's briefing.");
    expect(text).toContain("Weekly briefing: 4 joins (+2 on last week)");
    expect(text).toContain("**Reddit**: 4 (+2)");
    const before = await attachmentPng(first.interaction.token);
    expect(before.filename).toBe("briefing.png");
    expect([before.png.width, before.png.height]).toEqual([800, 360]);

    await withDb((db) => db.insert(inviteJoins).values(joins(9, 3)));
    const second = await runInviteFinal("briefing", [], ctx);
    const after = await attachmentPng(second.interaction.token);
    let differing = 0;
    for (let i = 0; i < after.png.rgba.length; i += 4) if (after.png.rgba[i] !== before.png.rgba[i]) differing++;
    expect(differing).toBeGreaterThan(500);
  });

  it("ranks the week's inviters as the leaderboard does: the bot's own invites count for nobody", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Briefing inviters" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const [bot, member] = ["100000000000000001", "781000000000000001"];
    const [forum] = await withDb((db) => db.insert(inviteSources).values({ guildId: guild.id, name: "Forum" }).returning());
    await withDb((db) =>
      db.insert(invites).values([
        { code: `bot-${guild.id}`, guildId: guild.id, inviterId: bot, sourceId: forum!.id },
        { code: `member-${guild.id}`, guildId: guild.id, inviterId: member },
      ]),
    );
    let user = 781_000_000_000_000_100n;
    const through = (code: string, count: number) =>
      Array.from({ length: count }, () => ({ guildId: guild.id, userId: String(user++), joinedAt: new Date(Date.now() - DAY), inviteCode: code, method: "diff" as const }));
    await withDb((db) => db.insert(inviteJoins).values([...through(`bot-${guild.id}`, 5), ...through(`member-${guild.id}`, 2)]));

    const text = replyText((await runInviteFinal("briefing", [], ctx)).body.data);
    expect(text).toContain(`**Top inviters**\n1. <@${member}>: 2`);
    expect(text).not.toContain(`<@${bot}>`);
    const leaderboard = replyText((await runCommandFinal("invites", "leaderboard", [], ctx)).body.data);
    expect(leaderboard).toContain(`<@${member}>`);
    expect(leaderboard).not.toContain(`<@${bot}>`);
  });

  it("counts the week's inviters from a season that began this week", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Briefing season" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const member = "782000000000000001";
    await withDb((db) => db.insert(invites).values({ code: `season-${guild.id}`, guildId: guild.id, inviterId: member }));
    let user = 782_000_000_000_000_100n;
    const joinsAt = (ago: number, count: number) =>
      Array.from({ length: count }, () => ({ guildId: guild.id, userId: String(user++), joinedAt: new Date(Date.now() - ago), inviteCode: `season-${guild.id}`, method: "diff" as const }));
    await withDb((db) => db.insert(inviteJoins).values([...joinsAt(3 * DAY, 3), ...joinsAt(DAY, 2)]));
    await withDb((db) => db.insert(seasons).values({ guildId: guild.id, number: 1, name: "Spring", startedAt: new Date(Date.now() - 2 * DAY) }));

    const text = replyText((await runInviteFinal("briefing", [], ctx)).body.data);
    expect(text).toContain(`**Top inviters**\n1. <@${member}>: 2`);
  });
});

