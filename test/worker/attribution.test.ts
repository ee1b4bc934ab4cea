import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { guildVanityCodes, inviteJoins, invites, inviteSources, members } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord, UNMARKED_BOT } from "./support/fake-discord";
import { opt, replyText, runInvite, runInviteFinal } from "./support/interactions";
import { databaseOutage, eventually, gatewayForwarder, guildStub, relayEvent } from "./support/relay";

let userSeq = 730_000_000_000_000_000n;
const newUser = () => {
  const id = String(userSeq++);
  return { id, username: `member${id.slice(-4)}` };
};

/** A guild the bot has seen (GUILD_CREATE → its object seeded the cache), with labelled, unmarked invites. */
async function seededGuild(name: string, options: { vanity?: string } = {}) {
  const features = options.vanity ? ["VANITY_URL"] : [];
  const guild = await fakeDiscord.createGuild({ name, features, bot_permissions: UNMARKED_BOT, ...(options.vanity ? { vanity_url_code: options.vanity } : {}) });
  const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
  const gateway = gatewayForwarder(guild.id);
  await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features, vanity_url_code: options.vanity ?? null });
  await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed fetch");
  const invite = async (source: string, extra: Array<ReturnType<typeof opt.int>> = []) => {
    const { body } = await runInvite("create", [opt.str("source", source), ...extra], ctx);
    return /discord\.gg\/([A-Za-z0-9-]+)/.exec(body.data!.content!)![1]!;
  };
  return { guild, ctx, gateway, invite };
}

/** Discord's undocumented member search refusing, so the diff's own verdicts show. */
const withoutMemberSearch = (guildId: string) =>
  fakeDiscord.failures({ method: "POST", path_prefix: `/guilds/${guildId}/members-search`, count: 100, status: 503 });

const joinsOf = (guildId: string) =>
  withDb((db) =>
    db
      .select({
        userId: inviteJoins.userId,
        method: inviteJoins.method,
        code: inviteJoins.inviteCode,
        source: inviteSources.name,
        candidates: inviteJoins.candidates,
        isRejoin: inviteJoins.isRejoin,
      })
      .from(inviteJoins)
      .leftJoin(inviteSources, eq(inviteSources.id, inviteJoins.sourceId))
      .where(eq(inviteJoins.guildId, guildId))
      .orderBy(inviteJoins.joinedAt, inviteJoins.userId),
  );

const waitForJoins = (guildId: string, count: number, timeoutMs = 15_000) =>
  eventually(async () => {
    const rows = await joinsOf(guildId);
    return rows.length >= count ? rows : undefined;
  }, timeoutMs, `${count} join rows`);

/** Two members join through two different invites inside one refetch: the diff alone cannot tell them apart. */
async function twoJoinsOnTwoInvites(
  name: string,
  options: { memberSearch: boolean; prepare?: (seeded: Awaited<ReturnType<typeof seededGuild>>) => Promise<unknown> },
) {
  const seeded = await seededGuild(name);
  if (!options.memberSearch) await withoutMemberSearch(seeded.guild.id);
  await options.prepare?.(seeded);
  const a = await seeded.invite("Alpha");
  const b = await seeded.invite("Beta");
  const [u1, u2] = [newUser(), newUser()];
  await fakeDiscord.join(a, u1);
  await fakeDiscord.join(b, u2);
  await seeded.gateway.forward();
  const rows = await waitForJoins(seeded.guild.id, 2);
  return { ...seeded, a, b, u1, u2, rows };
}

describe("join attribution through the relay and the guild's Durable Object", () => {
  it("attributes an unambiguous join to its invite's source (diff) and records the member", async () => {
    const { guild, gateway, invite, ctx } = await seededGuild("Diff");
    const code = await invite("Reddit");
    await invite("Twitter");
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    const rows = await waitForJoins(guild.id, 1);
    expect(rows).toEqual([expect.objectContaining({ userId: user.id, method: "diff", code, source: "Reddit", candidates: null, isRejoin: false })]);
    const [member] = await withDb((db) => db.select().from(members).where(eq(members.guildId, guild.id)));
    expect(member).toMatchObject({ userId: user.id, leftAt: null });
    const [row] = await withDb((db) => db.select().from(invites).where(eq(invites.code, code)));
    expect(row?.uses).toBe(1);

    const recent = replyText((await runInvite("recent", [], ctx)).body.data);
    expect(recent).toContain(`<@${user.id}>: **Reddit** via \`${code}\` · diff`);
    expect(replyText((await runInvite("stats", [], ctx)).body.data)).toContain("**Reddit**: 1 (1 named) · 100.0%");
  });

  it("attributes a vanity join to the vanity URL only when the vanity count rose", async () => {
    const { guild, gateway, invite } = await seededGuild("Vanity", { vanity: "vanitytown" });
    const code = await invite("Forum");
    const viaVanity = newUser();
    await fakeDiscord.vanityJoin(guild.id, viaVanity);
    await gateway.forward();
    await waitForJoins(guild.id, 1);
    // Further apart than the tolerated clock skew, so the vanity's spent increment
    // is not a possible owner of the next join.
    await new Promise((r) => setTimeout(r, 2_500));
    const viaInvite = newUser();
    await fakeDiscord.join(code, viaInvite);
    await gateway.forward();
    const rows = await waitForJoins(guild.id, 2);
    expect(rows.find((r) => r.userId === viaVanity.id)).toMatchObject({ method: "vanity", code: "vanitytown", source: null });
    expect(rows.find((r) => r.userId === viaInvite.id)).toMatchObject({ method: "diff", code, source: "Forum" });
  });

  it("counts a vanity join that member search resolved as a vanity join, in stats and recent", async () => {
    const { guild, gateway, ctx } = await seededGuild("Vanity exact", { vanity: "exactlounge" });
    // Postgres learns the guild's vanity code from its object (GUILD_CREATE).
    await eventually(
      async () => ((await withDb((db) => db.select().from(guildVanityCodes).where(eq(guildVanityCodes.guildId, guild.id)))).length > 0 ? true : undefined),
      10_000,
      "the vanity code in Postgres",
    );
    // A Discovery join beside it: the vanity count rose once for two joins, so the diff cannot tell.
    const [viaVanity, viaDiscovery] = [newUser(), newUser()];
    await fakeDiscord.vanityJoin(guild.id, viaVanity);
    await fakeDiscord.discoveryJoin(guild.id, viaDiscovery);
    await gateway.forward();
    await eventually(async () => {
      const rows = await joinsOf(guild.id);
      return rows.length === 2 && rows.find((r) => r.userId === viaVanity.id)?.method === "exact" ? rows : undefined;
    }, 20_000, "the vanity join resolved by member search");
    expect(replyText((await runInvite("stats", [], ctx)).body.data)).toContain("**Vanity URL** `discord.gg/exactlounge`: 1 · 50.0%");
    expect(replyText((await runInvite("recent", [], ctx)).body.data)).toContain(`<@${viaVanity.id}>: **Vanity URL** \`discord.gg/exactlounge\` · exact`);
  });

  it("leaves two joins on two invites inside one refetch unresolved, with both candidates", async () => {
    const { a, b, rows, ctx } = await twoJoinsOnTwoInvites("Two invites", { memberSearch: false });
    for (const row of rows) {
      expect(row.method).toBe("unresolved");
      expect(row.source).toBeNull();
      expect([...row.candidates!].sort()).toEqual([a, b].sort());
    }
    const recent = replyText((await runInvite("recent", [], ctx)).body.data);
    expect(recent).toMatch(/\*Ambiguous\* \(more than one invite possible\): one of `[^`]+`, `[^`]+`/);
  });

  it("resolves joins the diff cannot tell apart exactly, through Discord's member search", async () => {
    const { guild, a, b, u1, u2 } = await twoJoinsOnTwoInvites("Exact", { memberSearch: true });
    // Written unresolved first, then revised once the search answers (Discord's latency, a busy machine).
    const rows = await eventually(async () => {
      const found = await joinsOf(guild.id);
      return found.every((r) => r.method === "exact") ? found : undefined;
    }, 15_000, "both joins confirmed by member search");
    expect(rows.find((r) => r.userId === u1.id)).toMatchObject({ method: "exact", code: a, source: "Alpha" });
    expect(rows.find((r) => r.userId === u2.id)).toMatchObject({ method: "exact", code: b, source: "Beta" });
    // One search per batch of verdicts written unresolved: with Discord's latencies the two
    // joins may be written together or apart, each searched for once.
    const searches = await fakeDiscord.requests(`/guilds/${guild.id}/members-search`);
    const searched = searches.flatMap((s) => (s.body as { and_query: { user_id: { or_query: string[] } } }).and_query.user_id.or_query);
    expect(searched.sort()).toEqual([u1.id, u2.id].sort());
    for (const s of searches) expect((s.body as { limit: number }).limit).toBe((s.body as { and_query: { user_id: { or_query: string[] } } }).and_query.user_id.or_query.length);
  });

  it("tells /invite health that member search answers once the object's own lookups resolved joins, before any hourly check", async () => {
    const { guild, ctx } = await twoJoinsOnTwoInvites("Exact health", { memberSearch: true });
    await eventually(async () => ((await joinsOf(guild.id)).every((r) => r.method === "exact") ? true : undefined), 15_000, "both joins resolved by member search");
    expect((await guildStub(guild.id).status()).lastSearch).toMatchObject({ answer: "answered" });
    const text = replyText((await runInviteFinal("health", [], ctx)).body.data);
    expect(text).toContain("✅ **Member search:** answers; 2 joins resolved by it (7 days); no join checked yet");
  });

  it("tells /invite health that Discord refused the object's own member search", async () => {
    const { guild, ctx } = await twoJoinsOnTwoInvites("Refused health", {
      memberSearch: true,
      prepare: (seeded) => fakeDiscord.behaviour(seeded.guild.id, { member_search: "refuse" }),
    });
    await eventually(async () => ((await guildStub(guild.id).status()).lastSearch?.answer === "refused" ? true : undefined), 15_000, "the refused search");
    const text = replyText((await runInviteFinal("health", [], ctx)).body.data);
    expect(text).toContain("⚠️ **Member search:** Discord refuses it for this bot; the diff stands alone");
  });

  it("asks Discord's member search nothing once an admin turned it off", async () => {
    const { guild } = await twoJoinsOnTwoInvites("Search off", {
      memberSearch: true,
      prepare: (seeded) => runInviteFinal("settings", [opt.bool("member_search", false)], seeded.ctx),
    });
    // Long enough for a lookup (and its retry) to have gone out.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await fakeDiscord.requests(`/guilds/${guild.id}/members-search`)).toEqual([]);
    expect((await joinsOf(guild.id)).map((r) => r.method)).toEqual(["unresolved", "unresolved"]);
  });

  it("settles the last join of an unresolved pair by elimination once an admin attributes the other", async () => {
    const { guild, a, b, u1, u2, ctx } = await twoJoinsOnTwoInvites("Elimination", { memberSearch: false });
    const { body } = await runInvite("attribute", [opt.user("user", u1.id), opt.str("source", "alpha")], ctx);
    expect(body.data?.content).toContain(`By elimination, <@${u2.id}> came through \`${b}\`.`);
    const rows = await joinsOf(guild.id);
    expect(rows.find((r) => r.userId === u1.id)).toMatchObject({ method: "manual", code: a, source: "Alpha" });
    expect(rows.find((r) => r.userId === u2.id)).toMatchObject({ method: "diff", code: b, source: "Beta" });
  });

  it("attributes a burst of 20 joins on one invite with one refetch", async () => {
    const { guild, gateway, invite } = await seededGuild("Burst");
    const code = await invite("Viral post");
    const before = (await fakeDiscord.requests(`/guilds/${guild.id}/invites`)).length;
    for (let i = 0; i < 20; i++) await fakeDiscord.join(code, newUser());
    await gateway.forward();
    const rows = await waitForJoins(guild.id, 20);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.method === "diff" && r.code === code && r.source === "Viral post")).toBe(true);
    const fetches = (await fakeDiscord.requests(`/guilds/${guild.id}/invites`)).filter((r) => r.method === "GET").length - before;
    expect(fetches).toBeLessThanOrEqual(2);
  });

  it("writes one row per join when events are duplicated and reordered", async () => {
    const { guild, gateway, invite } = await seededGuild("Duplicates");
    const code = await invite("Newsletter");
    const users = [newUser(), newUser(), newUser()];
    for (const user of users) await fakeDiscord.join(code, user);
    await gateway.forward((events) => [...events].reverse().flatMap((e) => [e, e]));
    const rows = await waitForJoins(guild.id, 3);
    await new Promise((r) => setTimeout(r, 1_500));
    const settled = await joinsOf(guild.id);
    expect(settled).toHaveLength(3);
    expect(new Set(settled.map((r) => r.userId))).toEqual(new Set(users.map((u) => u.id)));
    expect(rows.every((r) => r.source === "Newsletter")).toBe(true);
  });

  it("keeps joins queued through a Discord 429 and attributes them after retry_after", async () => {
    const { guild, gateway, invite } = await seededGuild("Rate limited refetch");
    const code = await invite("Ads");
    await fakeDiscord.rateLimit({ method: "GET", path_prefix: `/guilds/${guild.id}/invites`, count: 1, retry_after: 1 });
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    const rows = await waitForJoins(guild.id, 1);
    expect(rows[0]).toMatchObject({ userId: user.id, method: "diff", source: "Ads" });
    const statuses = (await fakeDiscord.requests(`/guilds/${guild.id}/invites`)).filter((r) => r.method === "GET").map((r) => r.status);
    expect(statuses).toContain(429);
  });

  it("writes every join exactly once when Postgres is down during a burst and comes back", async () => {
    const { guild, gateway, invite } = await seededGuild("Outage");
    const code = await invite("Podcast");
    await databaseOutage(true);
    try {
      for (let i = 0; i < 8; i++) await fakeDiscord.join(code, newUser());
      await gateway.forward();
      await eventually(async () => {
        const status = await guildStub(guild.id).status();
        return status.pendingJoins === 0 && status.outboxDepth >= 8 ? status : undefined;
      }, 15_000, "joins settled into the outbox");
    } finally {
      await databaseOutage(false);
    }
    // The object's flush backs off (up to 60 s) while Postgres is away; its alarms are run now, as if those waits were over.
    await eventually(async () => {
      await runDurableObjectAlarm(guildStub(guild.id));
      return (await joinsOf(guild.id)).length >= 8 ? true : undefined;
    }, 20_000, "the joins written once Postgres is back");
    const rows = await waitForJoins(guild.id, 8);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.source === "Podcast")).toBe(true);
    await eventually(async () => ((await guildStub(guild.id).status()).outboxDepth === 0 ? true : undefined), 10_000, "empty outbox");
    expect(await joinsOf(guild.id)).toHaveLength(8);
  }, 60_000);

  it("loses nothing when the object is evicted between a join and its settlement", async () => {
    const { guild, gateway, invite } = await seededGuild("Evicted");
    const code = await invite("Discord server list");
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    // Throw the object's in-memory instance away, as an eviction or a deploy would.
    await runInDurableObject(guildStub(guild.id), (_instance, state) => state.abort("evicted by the test")).catch(() => undefined);
    const rows = await waitForJoins(guild.id, 1);
    expect(rows[0]).toMatchObject({ userId: user.id, method: "diff", source: "Discord server list" });
  });

  it("attributes a join through an invitation's single-use invite to that invitation", async () => {
    const { guild, gateway, invite } = await seededGuild("Invitation seam");
    const code = await invite("Invitations", [opt.int("max_uses", 1)]);
    await guildStub(guild.id).learnInvitation(code, "4242");
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    await waitForJoins(guild.id, 1);
    const [row] = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.id)));
    expect(row).toMatchObject({ userId: user.id, inviteCode: code, invitationId: 4242, method: "diff" });
  });

  it("keeps the departure of a member who leaves before their join's verdict is written", async () => {
    const { guild, gateway, invite } = await seededGuild("Quick departure");
    const code = await invite("Flyby");
    const user = newUser();
    await fakeDiscord.join(code, user);
    await fakeDiscord.leave(guild.id, user.id);
    await gateway.forward();
    await waitForJoins(guild.id, 1);
    const member = await eventually(async () => {
      const [m] = await withDb((db) => db.select().from(members).where(and(eq(members.guildId, guild.id), eq(members.userId, user.id))));
      return m?.leftAt ? m : undefined;
    }, 15_000, "left_at");
    expect(member.leftAt).not.toBeNull();
  });

  it("marks a member who left, and flags their return as a rejoin", async () => {
    const { guild, gateway, invite } = await seededGuild("Rejoin");
    const code = await invite("Friends", [opt.int("max_uses", 0)]);
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    await waitForJoins(guild.id, 1);
    await fakeDiscord.leave(guild.id, user.id);
    await gateway.forward();
    await eventually(async () => {
      const [m] = await withDb((db) => db.select().from(members).where(and(eq(members.guildId, guild.id), eq(members.userId, user.id))));
      return m?.leftAt ? m : undefined;
    }, 10_000, "left_at");
    await new Promise((r) => setTimeout(r, 20));
    await fakeDiscord.join(code, user);
    await gateway.forward();
    const rows = await waitForJoins(guild.id, 2);
    expect(rows.map((r) => r.isRejoin)).toEqual([false, true]);
    const [m] = await withDb((db) => db.select().from(members).where(and(eq(members.guildId, guild.id), eq(members.userId, user.id))));
    expect(m?.leftAt).toBeNull();
  });
});
