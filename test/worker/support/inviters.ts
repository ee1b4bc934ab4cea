import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { inviteJoins } from "../../../schema";
import { withDb } from "./db";
import { fakeDiscord } from "./fake-discord";
import { eventually, gatewayForwarder, guildStub, relayEvent } from "./relay";

const DAY = 86_400_000;
let sequence = 0n;

/** A user whose account was created `daysOld` days ago (the snowflake carries it). */
export const userAged = (daysOld: number) => {
  const id = String((BigInt(Date.now() - daysOld * DAY - 1_420_070_400_000) << 22n) | (sequence++ & 0xfffn));
  return { id, username: `u${id.slice(-5)}` };
};

export const joinRows = (guildId: string) =>
  withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guildId)).orderBy(inviteJoins.joinedAt));

/** A guild the bot tracks (its object has seen GUILD_CREATE and fetched invites), with a way to play joins and leaves. */
export async function trackedGuild(name: string, members: Array<{ user: { id: string; username: string } }> = []) {
  const guild = await fakeDiscord.createGuild({ name, members });
  const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
  const response = await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [], vanity_url_code: null });
  expect(response.status).toBe(202);
  await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed fetch");
  const gateway = gatewayForwarder(guild.id);
  let resolved = 0;
  return {
    guild,
    ctx,
    gateway,
    /** A join through `code`, forwarded, and waited for until its attributed row is in Postgres and the outbox is empty. */
    async play(code: string, user: { id: string; username: string }) {
      await fakeDiscord.join(code, user);
      await gateway.forward();
      resolved++;
      await eventually(
        async () => {
          const [rows, status] = await Promise.all([joinRows(guild.id), guildStub(guild.id).status()]);
          return rows.filter((r) => r.method !== "unresolved").length >= resolved && status.outboxDepth === 0 ? true : undefined;
        },
        20_000,
        "join row",
      );
    },
    async leave(user: { id: string }) {
      await fakeDiscord.leave(guild.id, user.id);
      await gateway.forward();
      await eventually(async () => ((await guildStub(guild.id).status()).outboxDepth === 0 ? true : undefined), 10_000, "departure written");
    },
  };
}
