// A guild on the simulator's latency model, and the verdicts Postgres holds for its joins.
import { asc, eq } from "drizzle-orm";
import { inviteJoins } from "../../../schema";
import { withDb } from "./db";
import { fakeDiscord } from "./fake-discord";
import { eventually, gatewayForwarder, guildStub, relayEvent } from "./relay";

/** A guild with two invites, member search refused, its first GUILD_CREATE forwarded and its invites fetched. */
export async function realisticGuild(name: string, options: { vanity?: string } = {}) {
  const features = options.vanity ? ["VANITY_URL"] : [];
  const guild = await fakeDiscord.createGuild({ name, features, ...(options.vanity ? { vanity_url_code: options.vanity } : {}) });
  await fakeDiscord.behaviour(guild.id, { member_search: "refuse" });
  const codes = await Promise.all([0, 1].map(async () => (await fakeDiscord.createInvite(guild.id, { channel_id: guild.channels[0]!.id })).code));
  await relayEvent(`${guild.id}:session-1`, "GUILD_CREATE", { id: guild.id, features, vanity_url_code: options.vanity ?? null });
  await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed fetch");
  return { guildId: guild.id, channelId: guild.channels[0]!.id, codes, gateway: gatewayForwarder(guild.id) };
}

export const rowsOf = (guildId: string) =>
  withDb((db) =>
    db
      .select({ userId: inviteJoins.userId, method: inviteJoins.method, code: inviteJoins.inviteCode, candidates: inviteJoins.candidates, reason: inviteJoins.reason })
      .from(inviteJoins)
      .where(eq(inviteJoins.guildId, guildId))
      .orderBy(asc(inviteJoins.joinedAt)),
  );
export type Row = Awaited<ReturnType<typeof rowsOf>>[number];

/** Waits until each user has a row that `settled` accepts (verdicts may be revised before they settle). */
export const verdictsFor = (guildId: string, users: Array<{ id: string }>, settled: (row: Row) => boolean = () => true, timeoutMs = 25_000) =>
  eventually(async () => {
    const rows = await rowsOf(guildId);
    const mine = users.map((u) => rows.find((r) => r.userId === u.id));
    return mine.every((r) => r && settled(r)) ? (mine as Row[]) : undefined;
  }, timeoutMs, `${users.length} verdicts`);
export const decided = (row: Row) => row.method !== "unresolved";
