/**
 * One server's admin must never reach another server through the bot: every
 * channel the bot posts in or makes an invite in must be the interaction's
 * server's, when saved and again when used (issue 24, item 2).
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { guildSettings, invitations, invitationSettings, joinLogSettings } from "../../schema";
import { DiscordRest } from "../../worker/discord/rest";
import { announceSpentInvitations } from "../../worker/invitations/announce";
import { mintWave } from "../../worker/invitations/mint";
import { afterOutboxWrite } from "../../worker/inviters/effects";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { insertMembers } from "./support/invitations";
import { opt, replyText, runInviteFinal } from "./support/interactions";
import { trackedGuild, userAged } from "./support/inviters";

/** A server with the bot and a private channel, and one the bot is not in. */
async function victims() {
  const victim = await fakeDiscord.createGuild({ name: "Victim", channels: [{ name: "staff-only" }] });
  const absent = await fakeDiscord.createGuild({ name: "Not mine", bot_absent: true });
  return { victim, staffOnly: victim.channels[0]!.id, absentChannel: absent.channels[0]!.id };
}

/** Everything the bot did in a channel: posts and invites. */
const touched = async (channelId: string) => [
  ...(await fakeDiscord.requests(`/channels/${channelId}/messages`)).filter((r) => r.method === "POST"),
  ...(await fakeDiscord.requests(`/channels/${channelId}/invites`)),
];

describe("a channel of another server", () => {
  it.each(["join_log_channel", "welcome_channel", "invitation_channel", "briefing_channel"])("is refused for %s, and nothing is saved", async (option) => {
    const { staffOnly, absentChannel } = await victims();
    const attacker = await fakeDiscord.createGuild({ name: "Attacker" });
    const ctx = { guildId: attacker.id, channelId: attacker.channels[0]!.id };
    for (const channel of [staffOnly, absentChannel]) {
      const { body } = await runInviteFinal("settings", [opt.channel(option, channel)], ctx);
      expect(replyText(body.data)).toBe("I can't find that channel in this server, or I'm not allowed to see it (my role needs **View Channel** there).");
      expect(await touched(channel)).toEqual([]);
    }
    const saved = await withDb(async (db) => [
      ...(await db.select().from(invitationSettings).where(eq(invitationSettings.guildId, attacker.id))),
      ...(await db.select().from(joinLogSettings).where(eq(joinLogSettings.guildId, attacker.id))),
      ...(await db.select().from(guildSettings).where(eq(guildSettings.guildId, attacker.id))),
    ]);
    expect(saved).toEqual([]);
  });

  it("is refused for /invite create channel: before any invite exists", async () => {
    const { victim, staffOnly, absentChannel } = await victims();
    const attacker = await fakeDiscord.createGuild({ name: "Attacker create" });
    const ctx = { guildId: attacker.id, channelId: attacker.channels[0]!.id };
    for (const channel of [staffOnly, absentChannel]) {
      const { body } = await runInviteFinal("create", [opt.str("source", "Stolen"), opt.channel("channel", channel)], ctx);
      expect(replyText(body.data)).toBe("I can't find that channel in this server, or I'm not allowed to see it (my role needs **View Channel** there).");
      expect(await fakeDiscord.requests(`/channels/${channel}/invites`)).toEqual([]);
    }
    expect(await fakeDiscord.guildInvites(victim.id)).toEqual([]);
    // The server's own channel still works.
    const own = await runInviteFinal("create", [opt.str("source", "Mine"), opt.channel("channel", ctx.channelId)], ctx);
    expect(replyText(own.body.data)).toContain("https://discord.gg/");
  });

  it("stored earlier is never posted to nor given an invite: join log, welcome post, invitation page", async () => {
    const { victim, staffOnly } = await victims();
    const inviter = userAged(400);
    const { guild } = await trackedGuild("Attacker stored", [{ user: inviter }]);
    await insertMembers(guild.id, [{ userId: inviter.id, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
    // As if saved before saving checked the channel.
    await withDb(async (db) => {
      await db.insert(invitationSettings).values({ guildId: guild.id, invitationChannelId: staffOnly, welcomeChannelId: staffOnly });
      await db.insert(joinLogSettings).values({ guildId: guild.id, joinLogChannelId: staffOnly });
    });

    // A join: its log message would go to the stored channel.
    const member = userAged(100);
    const joinedAt = new Date();
    await withDb((db) =>
      db.execute(`insert into invite_joins (guild_id, user_id, joined_at, method) values ('${guild.id}', '${member.id}', '${joinedAt.toISOString()}', 'unresolved')`),
    );
    await withDb((db) =>
      afterOutboxWrite(db, env, { kind: "join", guildId: guild.id, userId: member.id, joinedAt: joinedAt.getTime(), didRejoin: false, method: "unresolved", inviteCode: null, invitationId: null, candidates: [], groupId: null }),
    );

    // Accepting an invitation: its single-use invite would be made in the stored channel.
    await withDb((db) => mintWave(db, { guildId: guild.id, policy: { name: "unspent", minDays: 0 }, count: 1, expiresDays: 7, createdBy: null, dryRun: false, now: new Date() }));
    const [invitation] = await withDb((db) => db.select().from(invitations).where(eq(invitations.guildId, guild.id)));
    const accepted = await exports.default.fetch(`https://bot.test/i/${invitation!.code}`, { method: "POST", headers: { "CF-Connecting-IP": "198.51.100.240" }, redirect: "manual" });
    expect(accepted.status).not.toBe(303);
    expect(await fakeDiscord.guildInvites(victim.id)).toEqual([]);

    // A spent invitation: its welcome post would go to the stored channel; the inviter's DM still goes.
    await withDb((db) => db.update(invitations).set({ invitedId: member.id, spentAt: new Date() }).where(eq(invitations.guildId, guild.id)));
    expect(await withDb((db) => announceSpentInvitations(db, DiscordRest.fromEnv(env), { guildId: guild.id }))).toEqual({ announced: 1 });
    expect((await fakeDiscord.dms(inviter.id)).at(-1)?.content).toContain("joined with your invitation");

    expect(await touched(staffOnly)).toEqual([]);
    expect(await fakeDiscord.channelMessages(staffOnly)).toEqual([]);
  });
});
