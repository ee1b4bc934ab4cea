import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberSyncJob } from "../../cron/member-sync";
import { members } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { trackedGuild, userAged } from "./support/inviters";
import { eventually, guildStub, relayEvent } from "./support/relay";

const HASH = "0123456789abcdef0123456789abcdef";
const row = (guildId: string, userId: string) =>
  withDb(async (db) => (await db.select().from(members).where(and(eq(members.guildId, guildId), eq(members.userId, userId))))[0]);
const names = (r: Awaited<ReturnType<typeof row>>) => r && { username: r.username, globalName: r.globalName, nick: r.nick, avatar: r.avatar, leftAt: r.leftAt !== null };

describe("member names", () => {
  it("are kept from the join, a later update and the member sync, and a member who left keeps the last seen", async () => {
    const listed = { ...userAged(500), global_name: "Ёжик" };
    const { guild, ctx, gateway, play, leave } = await trackedGuild("Names", [{ user: listed }]);
    const code = (await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: userAged(900).id })).code;
    await gateway.forward();
    const yamada = { ...userAged(400), global_name: "山田太郎" };
    await play(code, yamada);
    expect(names(await row(guild.id, yamada.id))).toEqual({ username: yamada.username, globalName: "山田太郎", nick: null, avatar: null, leftAt: false });

    // A nickname and an avatar arrive in a GUILD_MEMBER_UPDATE (the relay forwards them for recent joins).
    const update = await relayEvent(`${guild.id}:update-1`, "GUILD_MEMBER_UPDATE", {
      guild_id: guild.id,
      user: { id: yamada.id, username: yamada.username, global_name: "山田太郎", avatar: HASH, discriminator: "0" },
      nick: "Taro",
      roles: [],
      joined_at: new Date().toISOString(),
    });
    expect(update.status).toBe(202);
    await eventually(async () => ((await row(guild.id, yamada.id))?.nick === "Taro" ? true : undefined), 10_000, "the update written");
    expect(names(await row(guild.id, yamada.id))).toEqual({ username: yamada.username, globalName: "山田太郎", nick: "Taro", avatar: HASH, leftAt: false });
    expect((await guildStub(guild.id).status()).deadLetters).toBe(0);

    await leave(yamada);
    expect(names(await row(guild.id, yamada.id))).toEqual({ username: yamada.username, globalName: "山田太郎", nick: "Taro", avatar: HASH, leftAt: true });

    // The daily member sync names the members Discord lists.
    await withDb((db) => memberSyncJob("start").run(env, db, guild.id, new Date()));
    expect(names(await row(guild.id, listed.id))).toEqual({ username: listed.username, globalName: "Ёжик", nick: null, avatar: null, leftAt: false });
  }, 60_000);
});
