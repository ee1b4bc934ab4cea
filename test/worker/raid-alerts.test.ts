import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raidSettings } from "../../schema";
import { listButtonId, pauseButtonId } from "../../worker/raids/message";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { knownGuild } from "./support/guild";
import { opt, pressButton, replyText, runInviteFinal } from "./support/interactions";
import { eventually } from "./support/relay";

type Button = { custom_id: string; label: string; disabled?: boolean };
type Posted = { id: string; content: string; edited_timestamp?: string | null; embeds: Array<{ description?: string }>; components: Array<{ components: Button[] }> };

/** The alert channel's messages once one says `says`. */
const alertSaying = (channelId: string, says: string) =>
  eventually(
    async () => {
      const posted = (await fakeDiscord.channelMessages(channelId)) as unknown as Posted[];
      return posted.some((m) => m.embeds[0]?.description?.includes(says)) ? posted : undefined;
    },
    20_000,
    `an alert saying ${says}`,
  );

async function raidGuild(name: string, firstUser: bigint, threshold: number) {
  const guild = await knownGuild(name, firstUser);
  const alerts = guild.channelId;
  const ctx = { guildId: guild.guildId, channelId: alerts };
  const saved = await runInviteFinal("settings", [opt.channel("raid_alert_channel", alerts), opt.int("raid_threshold", threshold)], ctx);
  expect(replyText(saved.body.data)).toContain(`**Raid alerts:** in <#${alerts}>, past ${threshold} joins a minute`);
  return { ...guild, alerts, ctx };
}

describe("raid alerts", () => {
  it("a raid through one invite raises one alert, edited in place; its pause deletes exactly that invite, for Manage Server only", async () => {
    const guild = await raidGuild("Raid through one invite", 710000000000000000n, 5);
    const other = await fakeDiscord.createInvite(guild.guildId, { channel_id: guild.alerts });
    await runInviteFinal("assign", [opt.str("code", guild.code), opt.str("source", "Reddit")], guild.ctx);
    for (let i = 0; i < 5; i++) await guild.join();
    const [alert] = await alertSaying(guild.alerts, "5 joins through **Reddit**");
    expect(alert!.content).toBe("🚨 Raid in progress");
    const buttons = alert!.components[0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(["Pause this invite", "List the members"]);

    // The raid goes on past the update interval (1 s in the tests): the same message is edited.
    await new Promise((r) => setTimeout(r, 1_100));
    for (let i = 0; i < 2; i++) await guild.join();
    const edited = await alertSaying(guild.alerts, "7 joins through **Reddit**");
    expect(edited).toHaveLength(1);
    expect(edited[0]).toMatchObject({ id: alert!.id, edited_timestamp: expect.any(String) });

    const refused = await pressButton(buttons[0]!.custom_id, { ...guild.ctx, permissions: "0" });
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(replyText(refused.body.data)).toContain("You need the **Manage Server** permission");
    expect(await fakeDiscord.requests(`/invites/`).then((rs) => rs.filter((r) => r.method === "DELETE" && r.path.includes(guild.code)))).toEqual([]);

    const paused = await pressButton(buttons[0]!.custom_id, guild.ctx);
    // A new ephemeral answer: the public alert stays as it was.
    expect(paused.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(replyText(paused.body.data)).toContain(`the invite \`${guild.code}\` is deleted`);
    const deletes = (await fakeDiscord.requests(`/invites/`)).filter((r) => r.method === "DELETE" && [guild.code, other.code].some((c) => r.path.endsWith(`/invites/${c}`)));
    expect(deletes.map((r) => [r.path, r.status])).toEqual([[expect.stringMatching(new RegExp(`/invites/${guild.code}$`)), 200]]);

    // A custom_id naming an invite that is not this server's deletes nothing.
    const forged = await pressButton(pauseButtonId("notours123"), guild.ctx);
    expect(replyText(forged.body.data)).toContain("Discord has no invite `notours123`");
  });

  it("a raid of Discovery joins raises an alert naming no invite, whose member list pages", async () => {
    const guild = await raidGuild("Raid of Discovery joins", 720000000000000000n, 3);
    const users = Array.from({ length: 22 }, (_, i) => ({ id: String(720000000000000100n + BigInt(i)), username: `d${i}` }));
    for (const user of users) await fakeDiscord.discoveryJoin(guild.guildId, user);
    await guild.gateway.forward();
    const [alert] = await alertSaying(guild.alerts, "through no invite");
    const buttons = alert!.components[0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(["List the members"]);

    // Every join written before the list is read (the alert may have come with the first few).
    await eventually(async () => ((await pressButton(buttons[0]!.custom_id, guild.ctx)).body.data.embeds?.[0] as { footer?: { text: string } })?.footer?.text.startsWith("22 members") || undefined, 20_000, "22 members listed");
    const first = await pressButton(buttons[0]!.custom_id, guild.ctx);
    expect(first.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(first.body.data.embeds![0]!.description!.split("\n")).toHaveLength(20);
    const next = first.body.data.components![0]!.components.find((b) => b.label === "Next ▶")!;
    const second = await pressButton(next.custom_id!, guild.ctx);
    // Previous/Next edit the list itself.
    expect(second.body.type).toBe(7);
    expect(second.body.data.embeds![0]!.description).toContain(`21. <@${users[20]!.id}>`);
    expect(second.body.data.embeds![0]!.description!.split("\n")).toHaveLength(2);

    // Another server's raid is not listed, and without Manage Server nothing is.
    const alertId = Number(/raid:list:(\d+)/.exec(buttons[0]!.custom_id)![1]);
    expect(replyText((await pressButton(listButtonId(alertId + 100_000, 0, "a"), guild.ctx)).body.data)).toContain("That button is not one of mine");
    expect(replyText((await pressButton(buttons[0]!.custom_id, { ...guild.ctx, permissions: "0" })).body.data)).toContain("**Manage Server**");
  });

  it("refuses another server's channel and a bad threshold, saving nothing", async () => {
    const guild = await knownGuild("Raid settings refusals", 730000000000000000n);
    const { channels } = await fakeDiscord.createGuild({ name: "Someone else's server" });
    const ctx = { guildId: guild.guildId, channelId: channels[0]!.id };
    const foreign = await runInviteFinal("settings", [opt.channel("raid_alert_channel", channels[0]!.id)], ctx);
    expect(replyText(foreign.body.data)).toContain("I can't find that channel in this server");
    const zero = await runInviteFinal("settings", [opt.channel("raid_alert_channel", channels[0]!.id), opt.int("raid_threshold", 0)], ctx);
    expect(replyText(zero.body.data)).toContain("The option `raid_threshold` must be at least 1 when a raid_alert_channel is given");
    expect(await withDb((db) => db.select().from(raidSettings).where(eq(raidSettings.guildId, guild.guildId)))).toEqual([]);
  });
});
