import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { guildSettings, invitationSettings, joinLogSettings } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runInviteFinal } from "./support/interactions";

async function settingsGuild(name: string) {
  const guild = await fakeDiscord.createGuild({
    name,
    channels: [{ name: "general" }, { name: "briefings" }, { name: "locked", bot_can_send: false }, { name: "voice", type: 2 }],
  });
  const [general, briefings, locked, voice] = guild.channels.map((c) => c.id) as [string, string, string, string];
  return { guildId: guild.id, ctx: { guildId: guild.id, channelId: general }, briefings, locked, voice };
}

const savedRow = (guildId: string) => withDb((db) => db.select().from(guildSettings).where(eq(guildSettings.guildId, guildId)));

describe("/invite settings", () => {
  it("shows the defaults when nothing was set", async () => {
    const { ctx, guildId } = await settingsGuild("Settings defaults");
    const { body } = await runInviteFinal("settings", [], ctx);
    const text = replyText(body.data);
    expect(text).toContain("**Briefing channel:** none");
    expect(text).toContain("Monday 09:00 (UTC)");
    expect(text).toContain("**Member search:** on");
    expect(await savedRow(guildId)).toEqual([]);
  });

  it("saves a channel it could post in, with the day, hour and zone, and shows them after", async () => {
    const { ctx, guildId, briefings } = await settingsGuild("Settings save");
    const { body } = await runInviteFinal(
      "settings",
      [opt.channel("briefing_channel", briefings), opt.int("briefing_day", 5), opt.int("briefing_hour", 18), opt.str("timezone", "europe/amsterdam")],
      ctx,
    );
    expect(replyText(body.data)).toContain("Settings saved");
    expect(replyText(body.data)).toContain(`<#${briefings}>`);
    const messages = await fakeDiscord.channelMessages(briefings);
    expect(messages.map((m) => m.content)).toEqual(["📊 The weekly invite briefing will be posted here, every Friday 18:00 (Europe/Amsterdam)."]);
    expect(await savedRow(guildId)).toMatchObject([
      { briefingChannelId: briefings, briefingDay: 5, briefingHour: 18, timezone: "Europe/Amsterdam", memberSearch: true, updatedBy: "200000000000000001" },
    ]);

    await runInviteFinal("settings", [opt.bool("member_search", false)], ctx);
    const shown = replyText((await runInviteFinal("settings", [], ctx)).body.data);
    expect(shown).toContain("Friday 18:00 (Europe/Amsterdam)");
    expect(shown).toContain("**Member search:** off");
  });

  it.each([
    ["a zone that does not exist", [opt.str("timezone", "Mars/Olympus")], "The option `timezone` must be an IANA time zone"],
    ["an hour out of range", [opt.int("briefing_hour", 24)], "The option `briefing_hour` must be an hour from 0 to 23"],
    ["a day out of range", [opt.int("briefing_day", 9)], "The option `briefing_day` must be a day of the week"],
    ["member search as text", [opt.str("member_search", "yes")], "The option `member_search` must be on (true) or off (false)"],
  ])("refuses %s and saves nothing", async (_what, options, message) => {
    const { ctx, guildId } = await settingsGuild("Settings refusals");
    const { body } = await runInviteFinal("settings", [opt.int("briefing_hour", 7), ...options], ctx);
    expect(replyText(body.data)).toContain(message);
    expect(await savedRow(guildId)).toEqual([]);
  });

  it("refuses a channel it cannot post in, a voice channel and another server's channel, saving nothing", async () => {
    const { ctx, guildId, locked, voice } = await settingsGuild("Settings channels");
    const other = await fakeDiscord.createGuild({ name: "Elsewhere" });
    const cases: Array<[string, string]> = [
      [locked, `I can't post in <#${locked}>. Give my role **View Channel**, **Send Messages**`],
      [voice, "The option `briefing_channel` must be a text or announcement channel."],
      [other.channels[0]!.id, "I can't find that channel in this server, or I'm not allowed to see it"],
    ];
    for (const [channel, message] of cases) {
      const { body } = await runInviteFinal("settings", [opt.channel("briefing_channel", channel), opt.int("briefing_hour", 6)], ctx);
      expect(replyText(body.data)).toContain(message);
    }
    expect(await savedRow(guildId)).toEqual([]);
    expect(await fakeDiscord.channelMessages(other.channels[0]!.id)).toEqual([]);
  });

  it("shows the briefing, invitation, join log and raid alert settings together, and saves three options sets in one call", async () => {
    const { ctx, guildId } = await settingsGuild("Settings all sets");
    const shown = (await runInviteFinal("settings", [], ctx)).body.data;
    expect(shown?.embeds?.map((e) => e.title)).toEqual(["Settings", "Invitation settings", "Inviters and join log", "Marks", "Raid alerts"]);
    const { body } = await runInviteFinal(
      "settings",
      [opt.int("briefing_hour", 7), opt.int("expires_days", 3), opt.int("fake_account_age_days", 2), opt.str("join_message", "Hi {member}")],
      ctx,
    );
    const text = replyText(body.data);
    expect(text).toContain("Settings saved");
    expect(text).toContain("expire after 3 days");
    expect(text).toContain("younger than 2 days");
    expect(text).toContain("**Join message preview:**\n> Hi <@200000000000000001>");
    expect(await savedRow(guildId)).toMatchObject([{ briefingHour: 7 }]);
  });

  it("saves nothing when any option of any set is refused", async () => {
    const { ctx, guildId } = await settingsGuild("Settings mixed refusal");
    const { body } = await runInviteFinal(
      "settings",
      [opt.int("briefing_hour", 7), opt.int("wave_size", 5), opt.int("fake_account_age_days", 2), opt.str("join_message", "Hi {nobody}")],
      ctx,
    );
    expect(replyText(body.data)).toContain("`{nobody}` is not a placeholder");
    expect(await savedRow(guildId)).toEqual([]);
    expect(await withDb((db) => db.select().from(invitationSettings).where(eq(invitationSettings.guildId, guildId)))).toEqual([]);
    expect(await withDb((db) => db.select().from(joinLogSettings).where(eq(joinLogSettings.guildId, guildId)))).toEqual([]);
  });

  it("refuses a member without Manage Server", async () => {
    const { ctx } = await settingsGuild("Settings permission");
    const { body } = await runInviteFinal("settings", [], { ...ctx, permissions: "0" });
    expect(replyText(body.data)).toContain("Manage Server");
  });
});
