import { eq } from "drizzle-orm";
import { inviteJoins, invites, members } from "../../../schema";
import { withDb } from "./db";
import { fakeDiscord } from "./fake-discord";
import { eventually, gatewayForwarder, guildStub, relayEvent } from "./relay";

/**
 * A guild in the fake Discord with one invite, whose object has seen its
 * GUILD_CREATE and seeded its invite cache, and a way to play joins through it:
 * the fake raises the invite's uses and the join is forwarded as the relay would,
 * so each is attributed at once (a join no invite explains waits 30 s).
 */
export async function knownGuild(name: string, firstUser: bigint, members?: unknown[]) {
  const guild = await fakeDiscord.createGuild({ name, members });
  const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: guild.channels[0]!.id });
  const response = await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [], vanity_url_code: null });
  if (response.status !== 202) throw new Error(`GUILD_CREATE answered ${response.status}`);
  // The seed fetch's rows are flushed alongside the next look: wait until Postgres has them too.
  await eventually(async () => {
    const status = await guildStub(guild.id).status();
    return status.cachedAt !== null && status.outboxDepth === 0 ? true : undefined;
  }, 10_000, "seed fetch written");
  const gateway = gatewayForwarder(guild.id);
  let next = firstUser;
  const joined: string[] = [];
  return {
    guildId: guild.id,
    /** The channel the invite opens. */
    channelId: guild.channels[0]!.id,
    code,
    gateway,
    joined,
    /** Returns the events forwarded for it (the invite's update and the GUILD_MEMBER_ADD). */
    async join() {
      const id = String(next++);
      await fakeDiscord.join(code, { id, username: `m${id.slice(-4)}` });
      let forwarded: Array<{ id: string; t: string; d: unknown }> = [];
      await gateway.forward((events) => (forwarded = events));
      joined.push(id);
      return forwarded;
    },
  };
}

/** What the guild has in Postgres. */
export const guildRows = (guildId: string) =>
  withDb(async (db) => {
    const [joins, memberRows, inviteRows] = await Promise.all([
      db.select({ userId: inviteJoins.userId }).from(inviteJoins).where(eq(inviteJoins.guildId, guildId)),
      db.select({ userId: members.userId, leftAt: members.leftAt }).from(members).where(eq(members.guildId, guildId)),
      db.select({ code: invites.code }).from(invites).where(eq(invites.guildId, guildId)),
    ]);
    return { joinUsers: joins.map((j) => j.userId).sort(), members: memberRows, inviteCodes: inviteRows.map((i) => i.code) };
  });

/** Waits until every sent join is in Postgres and the guild's object owes nothing. */
export const allJoinsLanded = (guildId: string, users: string[], timeoutMs = 30_000) =>
  eventually(
    async () => {
      const [rows, status] = await Promise.all([guildRows(guildId), guildStub(guildId).status()]);
      return rows.joinUsers.length >= users.length && status.pendingJoins === 0 && status.outboxDepth === 0 ? { rows, status } : undefined;
    },
    timeoutMs,
    `${users.length} joins in Postgres`,
  );
