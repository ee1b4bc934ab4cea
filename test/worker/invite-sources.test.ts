import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites, inviteSources } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord, type FakeGuild } from "./support/fake-discord";
import { inviteInteraction, opt, replyText, runInvite, runInviteFinal, signedRequest } from "./support/interactions";

async function newGuild(name: string) {
  const guild = await fakeDiscord.createGuild({ name });
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id } };
}

const sourcesOf = (guildId: string) =>
  withDb((db) => db.select().from(inviteSources).where(eq(inviteSources.guildId, guildId)).orderBy(inviteSources.id));
const invitesOf = (guildId: string) => withDb((db) => db.select().from(invites).where(eq(invites.guildId, guildId)));

function codeFrom(text: string) {
  const match = /discord\.gg\/([A-Za-z0-9-]+)/.exec(text);
  if (!match) throw new Error(`no invite link in: ${text}`);
  return match[1]!;
}

describe("/invite create", () => {
  it("creates a real invite in this channel, a new source, and replies with the link", async () => {
    const { guild, ctx } = await newGuild("Create");
    const { status, body } = await runInvite("create", [opt.str("source", "Reddit Battlefield6")], ctx);
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    const code = codeFrom(body.data!.content!);
    expect(body.data?.content).toMatch(/New source \*\*Reddit Battlefield6\*\* created/);

    const live = await fakeDiscord.guildInvites(guild.id);
    expect(live.map((i) => i.code)).toEqual([code]);
    const sent = await fakeDiscord.requests(`/channels/${ctx.channelId}/invites`);
    expect(sent.at(-1)?.body).toMatchObject({ max_uses: 0, max_age: 0, unique: true });

    const [source] = await sourcesOf(guild.id);
    expect(source?.name).toBe("Reddit Battlefield6");
    const [row] = await invitesOf(guild.id);
    expect(row).toMatchObject({ code, sourceId: source!.id, channelId: ctx.channelId, maxUses: 0, maxAge: 0 });
  });

  it("honours channel, max_uses and max_age", async () => {
    const { guild, ctx } = await newGuild("Create options");
    const { body } = await runInvite(
      "create",
      [opt.str("source", "Poster"), opt.channel("channel", ctx.channelId), opt.int("max_uses", 5), opt.int("max_age", 3600)],
      ctx,
    );
    expect(body.data?.content).toMatch(/5 uses, expires <t:\d+:R>/);
    const [row] = await invitesOf(guild.id);
    expect(row).toMatchObject({ maxUses: 5, maxAge: 3600 });
    expect(row?.expiresAt).toBeInstanceOf(Date);
  });

  it("reuses a source case-insensitively and trimmed, keeping the first spelling", async () => {
    const { guild, ctx } = await newGuild("Case");
    await runInvite("create", [opt.str("source", "Reddit Battlefield6")], ctx);
    const { body } = await runInvite("create", [opt.str("source", "  reddit   battlefield6 ")], ctx);
    expect(body.data?.content).toMatch(/Invite for \*\*reddit battlefield6\*\*/);
    expect(body.data?.content).not.toMatch(/New source/);
    const sources = await sourcesOf(guild.id);
    expect(sources.map((s) => s.name)).toEqual(["Reddit Battlefield6"]);
    const rows = await invitesOf(guild.id);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.sourceId))).toEqual(new Set([sources[0]!.id]));
  });

  it.each([
    ["max_uses above 100", [opt.int("max_uses", 101)], /`max_uses` must be a whole number from 0 to 100/],
    ["a negative max_age", [opt.int("max_age", -1)], /`max_age` must be a whole number from 0 to 604800/],
    ["max_age above 7 days", [opt.int("max_age", 604_801)], /`max_age` must be a whole number from 0 to 604800/],
  ])("refuses %s before calling Discord", async (_label, extra, message) => {
    const { guild, ctx } = await newGuild("Limits");
    const { body } = await runInvite("create", [opt.str("source", "X"), ...extra], ctx);
    expect(body.data?.content).toMatch(message);
    expect(await fakeDiscord.requests(`/channels/${ctx.channelId}/invites`)).toHaveLength(0);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
  });

  it.each([
    ["blank", "   ", /needs a name/],
    ["too long", "x".repeat(65), /at most 64/],
  ])("refuses a %s source name", async (_label, name, message) => {
    const { guild, ctx } = await newGuild("Names");
    const { body } = await runInvite("create", [opt.str("source", name)], ctx);
    expect(body.data?.content).toMatch(message);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
  });

  it("says so when the channel is unknown, and writes nothing", async () => {
    const { guild, ctx } = await newGuild("Unknown channel");
    const { body } = await runInvite("create", [opt.str("source", "X"), opt.channel("channel", "999999999999999999")], ctx);
    expect(body.data?.content).toMatch(/can't find that channel/);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
  });

  it("still succeeds when Discord answers 429 once", async () => {
    const { guild, ctx } = await newGuild("Rate limited");
    await fakeDiscord.rateLimit({ method: "POST", path_prefix: `/channels/${ctx.channelId}/invites`, count: 1, retry_after: 0.2 });
    const { body } = await runInvite("create", [opt.str("source", "Patient")], ctx);
    const code = codeFrom(body.data!.content!);
    const attempts = await fakeDiscord.requests(`/channels/${ctx.channelId}/invites`);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect((await invitesOf(guild.id)).map((r) => r.code)).toEqual([code]);
  });

  it("defers and follows up when Discord makes it wait past the deadline", async () => {
    const { guild, ctx } = await newGuild("Slow");
    await fakeDiscord.rateLimit({ method: "POST", path_prefix: `/channels/${ctx.channelId}/invites`, count: 1, retry_after: 2 });
    const started = Date.now();
    const { body, interaction } = await runInvite("create", [opt.str("source", "Slowpoke")], ctx);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    let messages: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && messages.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      messages = await fakeDiscord.webhookMessages(interaction.token);
    }
    expect(String(messages[0]?.content)).toMatch(/Invite for \*\*Slowpoke\*\*: https:\/\/discord\.gg\//);
    const edits = await fakeDiscord.requests(`/webhooks/100000000000000001/${interaction.token}/messages/@original`);
    expect(edits.map((e) => [e.method, (e.body as { allowed_mentions?: unknown }).allowed_mentions])).toEqual([["PATCH", { parse: [] }]]);
    expect(await invitesOf(guild.id)).toHaveLength(1);
  });
});

describe("/invite assign", () => {
  it("labels an invite made in Discord's UI, creating the source and saying so", async () => {
    const { guild, ctx } = await newGuild("Assign");
    const invite = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, max_uses: 10 });
    const { body } = await runInvite("assign", [opt.str("code", `https://discord.gg/${invite.code}`), opt.str("source", "Twitter")], ctx);
    expect(body.data?.content).toMatch(new RegExp(`\`${invite.code}\` now counts for \\*\\*Twitter\\*\\*. New source`));
    const [source] = await sourcesOf(guild.id);
    expect(await invitesOf(guild.id)).toEqual([expect.objectContaining({ code: invite.code, sourceId: source!.id })]);
  });

  it("refuses an unknown code and writes nothing", async () => {
    const { guild, ctx } = await newGuild("Assign unknown");
    const { body } = await runInvite("assign", [opt.str("code", "doesNotExist1"), opt.str("source", "Nowhere")], ctx);
    expect(body.data?.content).toMatch(/Discord has no invite `doesNotExist1`/);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
    expect(await invitesOf(guild.id)).toHaveLength(0);
  });

  it("refuses another server's invite and writes nothing", async () => {
    const { guild, ctx } = await newGuild("Assign mine");
    const other: FakeGuild = await fakeDiscord.createGuild({ name: "Someone else" });
    const foreign = await fakeDiscord.createInvite(other.id, { channel_id: other.channels[0]!.id });
    const { body } = await runInvite("assign", [opt.str("code", foreign.code), opt.str("source", "Stolen")], ctx);
    expect(body.data?.content).toMatch(/belongs to another server/);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
    expect(await invitesOf(guild.id)).toHaveLength(0);
  });

  it("refuses text that cannot be an invite code without calling Discord", async () => {
    const { ctx } = await newGuild("Assign garbage");
    const { body } = await runInvite("assign", [opt.str("code", "https://example.com/not/an/invite"), opt.str("source", "X")], ctx);
    expect(body.data?.content).toMatch(/is not an invite code or link/);
  });
});

describe("/invite retire", () => {
  it("deletes the source's invites on Discord, retires it, and keeps history", async () => {
    const { guild, ctx } = await newGuild("Retire");
    const first = codeFrom((await runInvite("create", [opt.str("source", "Old Campaign")], ctx)).body.data!.content!);
    const second = codeFrom((await runInvite("create", [opt.str("source", "old campaign")], ctx)).body.data!.content!);
    const kept = codeFrom((await runInvite("create", [opt.str("source", "Other")], ctx)).body.data!.content!);
    const [source] = await sourcesOf(guild.id);
    await withDb((db) =>
      db.insert(inviteJoins).values({
        guildId: guild.id,
        userId: "400000000000000001",
        joinedAt: new Date(),
        inviteCode: first,
        sourceId: source!.id,
        method: "diff",
      }),
    );

    const { body } = await runInvite("retire", [opt.str("source", "OLD CAMPAIGN")], ctx);
    expect(body.data?.content).toMatch(/Retired \*\*Old Campaign\*\*: deleted 2 invites/);
    expect((await fakeDiscord.guildInvites(guild.id)).map((i) => i.code)).toEqual([kept]);

    const sources = await sourcesOf(guild.id);
    expect(sources.find((s) => s.name === "Old Campaign")?.retiredAt).toBeInstanceOf(Date);
    const rows = await invitesOf(guild.id);
    expect(rows.filter((r) => r.deletedAt !== null).map((r) => r.code).sort()).toEqual([first, second].sort());
    const joins = await withDb((db) => db.select().from(inviteJoins).where(eq(inviteJoins.guildId, guild.id)));
    expect(joins).toHaveLength(1);
    expect(joins[0]?.sourceId).toBe(source!.id);

    const again = await runInvite("retire", [opt.str("source", "Old Campaign")], ctx);
    expect(again.body.data?.content).toMatch(/already retired/);
  });

  it("drops retired sources from autocomplete", async () => {
    const { ctx } = await newGuild("Autocomplete");
    for (const name of ["Reddit", "Reddit Ads", "Twitter"]) await runInvite("create", [opt.str("source", name)], ctx);
    await runInvite("retire", [opt.str("source", "reddit ads")], ctx);
    const interaction = inviteInteraction("retire", [opt.str("source", "red", true)], ctx, 4);
    const response = await signedRequest(JSON.stringify(interaction));
    expect(await response.json()).toEqual({ type: 8, data: { choices: [{ name: "Reddit", value: "Reddit" }] } });
  });

  it("says so for an unknown source", async () => {
    const { ctx } = await newGuild("Retire unknown");
    const { body } = await runInvite("retire", [opt.str("source", "Ghost")], ctx);
    expect(replyText(body.data)).toMatch(/no source named “Ghost”/);
  });
});

describe("/invite attribute", () => {
  it("attributes the member's latest unresolved join by hand", async () => {
    const { guild, ctx } = await newGuild("Attribute");
    const user = "400000000000000002";
    await withDb((db) =>
      db.insert(inviteJoins).values([
        { guildId: guild.id, userId: user, joinedAt: new Date(Date.now() - 86_400_000), method: "unresolved", candidates: ["a", "b"] },
        { guildId: guild.id, userId: user, joinedAt: new Date(), method: "unresolved", candidates: ["c", "d"] },
      ]),
    );
    const { body } = await runInvite("attribute", [opt.user("user", user), opt.str("source", "Word of mouth")], ctx);
    expect(body.data?.content).toMatch(/now attributed to \*\*Word of mouth\*\* \(manual\)/);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    const rows = await withDb((db) =>
      db.select().from(inviteJoins).where(and(eq(inviteJoins.guildId, guild.id), eq(inviteJoins.userId, user))).orderBy(inviteJoins.joinedAt),
    );
    const [source] = await sourcesOf(guild.id);
    expect(rows.map((r) => [r.method, r.sourceId])).toEqual([
      ["unresolved", null],
      ["manual", source!.id],
    ]);
  });

  it("refuses when the member has no unresolved join, creating no source", async () => {
    const { guild, ctx } = await newGuild("Attribute none");
    const { body } = await runInvite("attribute", [opt.user("user", "400000000000000003"), opt.str("source", "Nope")], ctx);
    expect(body.data?.content).toMatch(/has no unresolved join/);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
  });
});

describe("one name rule for every lookup", () => {
  const contentOf = async (sub: string, source: string, ctx: { guildId: string; channelId: string }) =>
    replyText((await runInvite(sub, [opt.str("source", source)], ctx)).body.data);

  it("ΟΔΟΣ, οδος and οδοσ are one source: created once, found by each, retired as itself", async () => {
    const { guild, ctx } = await newGuild("Greek");
    expect(await contentOf("create", "ΟΔΟΣ", ctx)).toMatch(/New source \*\*ΟΔΟΣ\*\* created/);
    expect(await contentOf("create", "ΟΔΟΣ", ctx)).not.toMatch(/New source|went wrong/);
    expect(await contentOf("create", "οδος", ctx)).not.toMatch(/New source|went wrong/);
    await contentOf("create", "Other", ctx);
    const autocomplete = inviteInteraction("retire", [opt.str("source", "ΟΔΟΣ", true)], ctx, 4);
    expect(await (await signedRequest(JSON.stringify(autocomplete))).json()).toEqual({
      type: 8,
      data: { choices: [{ name: "ΟΔΟΣ", value: "ΟΔΟΣ" }] },
    });
    expect(await contentOf("retire", "οδοσ", ctx)).toMatch(/Retired \*\*ΟΔΟΣ\*\*: deleted 3 invites/);
    const sources = await sourcesOf(guild.id);
    expect(sources.map((s) => [s.name, s.retiredAt !== null])).toEqual([
      ["ΟΔΟΣ", true],
      ["Other", false],
    ]);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(1);
  });

  it("İSTANBUL can be created and retired", async () => {
    const { guild, ctx } = await newGuild("Istanbul");
    await contentOf("create", "İSTANBUL", ctx);
    expect(await contentOf("retire", "İSTANBUL", ctx)).toMatch(/Retired \*\*İSTANBUL\*\*: deleted 1 invite\./);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
  });

  it.each([
    ["Café in NFC and NFD", "Caf\u00e9", "Cafe\u0301"],
    ["a zero-width space", "RedditBattlefield6", "Reddit\u200bBattlefield6"],
    ["full-width letters", "reddit", "Ｒｅｄｄｉｔ"],
    ["sharp s", "Straße", "STRASSE"],
  ])("%s name one source", async (_label, first, second) => {
    const { guild, ctx } = await newGuild("Spellings");
    await contentOf("create", first, ctx);
    expect(await contentOf("create", second, ctx)).not.toMatch(/New source/);
    expect(await sourcesOf(guild.id)).toHaveLength(1);
  });

  it.each([
    ["a NUL", "Red\u0000dit", /cannot contain control characters/],
    ["a right-to-left override", "\u202eReddit", /text-direction overrides/],
    ["a C1 control", "Reddit\u0085", /cannot contain control characters/],
    ["a lone surrogate", "Reddit\ud800", /not valid text/],
    ["only zero-width characters", "\u200b\u200b", /needs a name/],
  ])("refuses a name with %s, writing nothing", async (_label, name, message) => {
    const { guild, ctx } = await newGuild("Refused names");
    expect(await contentOf("create", name, ctx)).toMatch(message);
    expect(await sourcesOf(guild.id)).toHaveLength(0);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
  });
});

describe("a source's mutations are serialised", () => {
  const createN = async (n: number, name: string, ctx: { guildId: string; channelId: string }) => {
    for (let i = 0; i < n; i++) await runInviteFinal("create", [opt.str("source", name)], ctx);
  };

  it("a create 30 ms after a retire leaves no live invite labelled with a retired source", async () => {
    const { guild, ctx } = await newGuild("Retire race");
    await createN(15, "Campaign", ctx);
    const retire = runInviteFinal("retire", [opt.str("source", "Campaign")], ctx);
    await new Promise((r) => setTimeout(r, 30));
    const create = runInviteFinal("create", [opt.str("source", "campaign")], ctx);
    const [retired, created] = await Promise.all([retire, create]);
    expect(replyText(retired.body.data)).toMatch(/Retired \*\*Campaign\*\*: deleted 1[56] invites/);
    const newCode = codeFrom(created.body.data!.content!);

    const [source] = await sourcesOf(guild.id);
    const rows = await invitesOf(guild.id);
    const live = (await fakeDiscord.guildInvites(guild.id)).map((i) => i.code);
    // Every invite Discord still has is labelled with a live source, and the database agrees with Discord.
    if (live.length > 0) expect(source!.retiredAt).toBeNull();
    expect(rows.filter((r) => r.deletedAt === null).map((r) => r.code)).toEqual(live);
    expect(live.length === 0 || live[0] === newCode).toBe(true);
  });

  it("five concurrent retires: one deletes every invite, the others say it was already retired", async () => {
    const { guild, ctx } = await newGuild("Retire five");
    await createN(10, "Spring", ctx);
    const replies = await Promise.all(Array.from({ length: 5 }, () => runInviteFinal("retire", [opt.str("source", "Spring")], ctx)));
    const texts = replies.map((r) => replyText(r.body.data));
    expect(texts.filter((t) => /deleted 10 invites/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /already retired/.test(t))).toHaveLength(4);
    const deletes = (await fakeDiscord.requests("/invites/")).filter((r) => r.method === "DELETE" && r.status < 300);
    const codes = (await invitesOf(guild.id)).map((r) => r.code);
    expect(deletes.filter((d) => codes.some((c) => d.path.endsWith(`/invites/${c}`)))).toHaveLength(10);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
  });

  it("a retire that Discord stops part-way says so, and a second one finishes", async () => {
    const { guild, ctx } = await newGuild("Retire halfway");
    await createN(3, "Autumn", ctx);
    // Every attempt (the client retries a 5xx four times) at the first invite fails.
    await fakeDiscord.failures({ method: "DELETE", path_prefix: "/invites/", count: 4, status: 503 });
    const first = replyText((await runInviteFinal("retire", [opt.str("source", "Autumn")], ctx)).body.data);
    expect(first).toMatch(/Retired \*\*Autumn\*\*, but deleted only 0 of its invites: Discord didn't answer.*3 still work/s);
    expect((await invitesOf(guild.id)).filter((r) => r.deletedAt === null)).toHaveLength(3);
    const second = replyText((await runInviteFinal("retire", [opt.str("source", "Autumn")], ctx)).body.data);
    expect(second).toMatch(/deleted 3 invites/);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
  });
});
