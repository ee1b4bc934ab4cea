// Invites that mark their members, against the simulator's latency model with member
// search refused: the mark names the join (method = role) whether it comes in the
// GUILD_MEMBER_ADD or in a GUILD_MEMBER_UPDATE after it, even after the join was
// written unresolved; and a marked join's increment is no one else's.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites, inviteSources } from "../../schema";
import { decided, realisticGuild, rowsOf, verdictsFor } from "./support/attribution";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { eventually, relayEvent } from "./support/relay";

let userSeq = 741_000_000_000_000_000n;
const newUser = () => {
  const id = String(userSeq++);
  return { id, username: `marked${id.slice(-4)}` };
};

/** A realistic guild whose marks arrive as `delivery` says, with `sources` invites each granting a role of its own. */
async function markedGuild(name: string, delivery: "add" | "update" | "mixed", sources = 1) {
  const guild = await realisticGuild(name);
  await fakeDiscord.behaviour(guild.guildId, { mark_delivery: delivery });
  const marked = [];
  for (let i = 0; i < sources; i++) {
    const role = await fakeDiscord.createRole(guild.guildId, { name: `Source ${i}` });
    const { code } = await fakeDiscord.createInvite(guild.guildId, { channel_id: guild.channelId, max_age: 0, role_ids: [role.id] });
    marked.push({ role: role.id, code });
  }
  // The bot hears of the marked invites (INVITE_CREATE with role_ids) before anyone uses them.
  await guild.gateway.forward();
  return { ...guild, marked };
}

const role = (row: { method: string }) => row.method === "role";

describe("marks read from the roles Discord gives on accept", () => {
  it.each(["add", "update"] as const)("names a join whose mark comes in the %s", async (delivery) => {
    const { guildId, marked, gateway } = await markedGuild(`Mark in the ${delivery}`, delivery);
    const user = newUser();
    await fakeDiscord.join(marked[0]!.code, user);
    await gateway.forward();
    const [row] = await verdictsFor(guildId, [user], role);
    expect(row).toMatchObject({ method: "role", code: marked[0]!.code, candidates: null });
  });

  it("upgrades a join written unresolved when its mark arrives, and gives its neighbour what is left", async () => {
    const { guildId, codes, marked, gateway } = await markedGuild("Mark after the verdict", "update");
    const [viaMarked, viaPlain] = [newUser(), newUser()];
    // Both in one interval between the bot's fetches: the counts alone cannot tell them apart.
    await fakeDiscord.join(marked[0]!.code, viaMarked);
    await fakeDiscord.join(codes[0]!, viaPlain);
    let held: Array<{ id: string; t: string; d: unknown }> = [];
    await gateway.forward((events) => {
      held = events.filter((e) => e.t === "GUILD_MEMBER_UPDATE");
      return events.filter((e) => e.t !== "GUILD_MEMBER_UPDATE");
    });
    const written = await verdictsFor(guildId, [viaMarked, viaPlain], (r) => r.method === "unresolved");
    expect(written.map((r) => r.candidates?.sort())).toEqual([[codes[0], marked[0]!.code].sort(), [codes[0], marked[0]!.code].sort()]);
    expect(held).toHaveLength(1);
    for (const event of held) expect((await relayEvent(event.id, event.t, event.d)).status).toBe(202);
    const [m, p] = await verdictsFor(guildId, [viaMarked, viaPlain], decided);
    expect(m).toMatchObject({ method: "role", code: marked[0]!.code });
    expect(p).toMatchObject({ method: "diff", code: codes[0] });
  }, 40_000);

  it("names every join of a burst across three marked sources, and no Discovery join", async () => {
    const { guildId, marked, gateway } = await markedGuild("Marked burst", "mixed", 3);
    const plan = [0, 1, 2, -1, 0, 1, -1, 2, 0, 1, 2, -1];
    const joins = plan.map((source) => ({ user: newUser(), code: source < 0 ? null : marked[source]!.code }));
    for (const { user, code } of joins) {
      if (code) await fakeDiscord.join(code, user);
      else await fakeDiscord.discoveryJoin(guildId, user);
    }
    await gateway.forward();
    const rows = await verdictsFor(
      guildId,
      joins.map((j) => j.user),
      (r) => role(r) || r.method === "unresolved",
    );
    rows.forEach((row, i) => {
      const { code } = joins[i]!;
      if (code) expect(row).toMatchObject({ method: "role", code });
      else expect(row).toMatchObject({ method: "unresolved", code: null, candidates: [] });
    });
  }, 40_000);

  it("keeps a Discovery join in the same interval from an invitation's single-use code, which its Invited mark names", async () => {
    const guild = await realisticGuild("Invited mark");
    await fakeDiscord.behaviour(guild.guildId, { mark_delivery: "mixed" });
    const invited = await fakeDiscord.createRole(guild.guildId, { name: "Invited" });
    // An invitation's invite: single-use, granting the guild's one shared Invited mark.
    const { code } = await fakeDiscord.createInvite(guild.guildId, { channel_id: guild.channelId, max_age: 0, max_uses: 1, role_ids: [invited.id] });
    await guild.gateway.forward();
    const [friend, stranger] = [newUser(), newUser()];
    await fakeDiscord.discoveryJoin(guild.guildId, stranger);
    await fakeDiscord.join(code, friend);
    await guild.gateway.forward();
    const [f, s] = await verdictsFor(guild.guildId, [friend, stranger], (r) => role(r) || r.method === "unresolved");
    expect(f).toMatchObject({ method: "role", code });
    expect(s).toMatchObject({ method: "unresolved", code: null, candidates: [] });
  }, 40_000);

  it("takes no role change of an old member, or of a member it never saw join, for a join", async () => {
    const { guildId, marked, gateway } = await markedGuild("Old member", "add");
    const member = newUser();
    const stranger = newUser();
    const update = (user: { id: string; username: string }, joinedAt: string) => ({
      guild_id: guildId,
      user: { ...user, discriminator: "0", avatar: null, global_name: null },
      roles: [marked[0]!.role],
      joined_at: joinedAt,
    });
    // An admin gives a source's role to a member of last year, and to one whose add the bot never had.
    await relayEvent(`${guildId}:old-member`, "GUILD_MEMBER_UPDATE", update(member, "2025-11-01T10:00:00.000000+00:00"));
    await relayEvent(`${guildId}:stranger`, "GUILD_MEMBER_UPDATE", update(stranger, new Date(Date.now() - 60_000).toISOString()));
    // A join after them: once it is written, the object has taken in the updates before it.
    const later = newUser();
    await fakeDiscord.join(marked[0]!.code, later);
    await gateway.forward();
    await verdictsFor(guildId, [later], role);
    const users = (await rowsOf(guildId)).map((r) => r.userId);
    expect(users).toEqual([later.id]);
  });

  it("gives a marked join whose codes the counts cannot split the source they share, with its candidates", async () => {
    const { guildId, channelId, gateway } = await markedGuild("One source, two marked invites", "add", 0);
    const mark = await fakeDiscord.createRole(guildId, { name: "Podcast" });
    const codes = await Promise.all([0, 1].map(async () => (await fakeDiscord.createInvite(guildId, { channel_id: channelId, max_age: 0, role_ids: [mark.id] })).code));
    await gateway.forward();
    // Both invites labelled with one source, as /invite create labels them.
    const sourceId = await withDb(async (db) => {
      await eventually(async () => ((await db.select().from(invites).where(inArray(invites.code, codes))).length === 2 ? true : undefined), 10_000, "invites written");
      const [source] = await db.insert(inviteSources).values({ guildId, name: "Podcast", nameKey: "podcast" }).returning({ id: inviteSources.id });
      await db.update(invites).set({ sourceId: source!.id }).where(inArray(invites.code, codes));
      return source!.id;
    });
    const users = [newUser(), newUser()];
    await fakeDiscord.join(codes[0]!, users[0]!);
    await fakeDiscord.join(codes[1]!, users[1]!);
    await gateway.forward();
    const rows = await verdictsFor(guildId, users, (r) => role(r) && r.code === null);
    for (const row of rows) expect(row.candidates?.sort()).toEqual([...codes].sort());
    const sources = await withDb((db) =>
      db.select({ sourceId: inviteJoins.sourceId }).from(inviteJoins).where(and(eq(inviteJoins.guildId, guildId), inArray(inviteJoins.userId, users.map((u) => u.id)))),
    );
    expect(sources).toEqual([{ sourceId }, { sourceId }]);
  }, 40_000);
});
