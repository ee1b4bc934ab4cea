import { describe, expect, it } from "vitest";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { inviteInteraction, opt, replyText, runInvite, signedRequest, type InteractionReply } from "./support/interactions";
import { inviteSources } from "../../schema";
import { eq } from "drizzle-orm";

describe("POST /interactions signature checks", () => {
  const ping = JSON.stringify({ id: "1", type: 1, token: "t", application_id: "100000000000000001", version: 1 });

  it("answers a signed PING with PONG", async () => {
    const response = await signedRequest(ping);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it.each([
    ["a bad signature", { signature: "ab".repeat(64) }],
    ["a malformed signature", { signature: "not-hex" }],
    ["a stale timestamp (6 minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ["a timestamp from the future", { timestamp: Math.floor(Date.now() / 1000) + 360 }],
  ])("refuses %s with 401", async (_label, options) => {
    const response = await signedRequest(ping, options);
    expect(response.status).toBe(401);
  });

  it("refuses a request without signature headers", async () => {
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch("https://bot.test/interactions", { method: "POST", body: ping });
    expect(response.status).toBe(401);
  });

  it("refuses a body over 256 KiB with 413 before reading it, signed or not, with or without a Content-Length", async () => {
    const { exports } = await import("cloudflare:workers");
    const big = JSON.stringify({ ...JSON.parse(ping), pad: "x".repeat(256 * 1024) });
    const signed = await signedRequest(big);
    expect(signed.status).toBe(413);
    expect(((await signed.json()) as { error: string }).error).toMatch(/body over/);
    // Streamed: no Content-Length to judge by, so the body is counted as it arrives.
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 480) controller.enqueue(chunk); // 30 MB if it were all read
        else controller.close();
      },
    });
    const streamed = await exports.default.fetch("https://bot.test/interactions", { method: "POST", body: stream });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(480);
  });

  it("answers a signed body that is not an interaction with 400", async () => {
    const response = await signedRequest(JSON.stringify({ hello: "world" }));
    expect(response.status).toBe(400);
  });

  it("answers an unexpected interaction type with a clear ephemeral message", async () => {
    const response = await signedRequest(JSON.stringify({ ...JSON.parse(ping), type: 5 }));
    const body = (await response.json()) as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(body.data.content).toMatch(/can't handle/);
  });
});

describe("/invite permissions", () => {
  it("refuses a member without Manage Server and writes nothing", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Perms" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id, permissions: String(1 << 11) };
    const { body } = await runInvite("create", [opt.str("source", "Sneaky")], ctx);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toMatch(/Manage Server/);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
    const rows = await withDb((db) => db.select().from(inviteSources).where(eq(inviteSources.guildId, guild.id)));
    expect(rows).toHaveLength(0);
  });

  it("accepts an Administrator without the Manage Server bit", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Admins" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id, permissions: String(1 << 3) };
    const { body } = await runInvite("list", [], ctx);
    expect(replyText(body.data)).toMatch(/Invites \(0\)/);
  });

  it("refuses /invite outside a server", async () => {
    const interaction = inviteInteraction("list", [], { guildId: "1", channelId: "2" }) as Record<string, unknown>;
    delete interaction.guild_id;
    const response = await signedRequest(JSON.stringify(interaction));
    const body = (await response.json()) as { data: { content: string } };
    expect(body.data.content).toMatch(/only works inside a server/);
  });

  it("answers an unknown subcommand clearly", async () => {
    const { body } = await runInvite("frobnicate", [], { guildId: "1", channelId: "2" });
    expect(body.data?.content).toMatch(/don't know the command `invite frobnicate`/);
  });

  it("gives no autocomplete suggestions to members without Manage Server", async () => {
    const interaction = inviteInteraction("retire", [opt.str("source", "", true)], {
      guildId: "1",
      channelId: "2",
      permissions: "0",
    }, 4);
    const response = await signedRequest(JSON.stringify(interaction));
    expect(await response.json()).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe("signed but malformed interactions get a clear ephemeral answer, never a 500", () => {
  const base = (sub: string, options: Array<Record<string, unknown>> = []) =>
    inviteInteraction(sub, options as never, { guildId: "100000000000000010", channelId: "100000000000000011" }) as Record<string, unknown> & {
      data: Record<string, unknown>;
    };
  const withData = (patch: Record<string, unknown>) => {
    const interaction = base("list");
    return { ...interaction, data: { ...interaction.data, ...patch } };
  };
  const withSubOptions = (options: unknown) => withData({ options: [{ name: "create", type: 1, options }] });

  it.each<[string, unknown, RegExp]>([
    ["data.options is a string", withData({ options: "x" }), /couldn't read that command/],
    ["data.options is an object", withData({ options: { name: "list", type: 1 } }), /couldn't read that command/],
    ["data.options is [null]", withData({ options: [null] }), /couldn't read that command/],
    ["a subcommand's options are 5", withSubOptions(5), /couldn't read that command/],
    ["a subcommand's options are {}", withSubOptions({}), /couldn't read that command/],
    ["a subcommand's options are [null]", withSubOptions([null]), /couldn't read that command/],
    ["data is missing", { ...base("list"), data: undefined }, /couldn't read that command/],
    ["member.user.id is not a snowflake", { ...base("list"), member: { permissions: "32", user: { id: "../x" } } }, /couldn't read that command/],
    ...["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"].map(
      (name): [string, unknown, RegExp] => [`a subcommand named ${name}`, base(name), new RegExp(`don't know the command \`invite ${name}\``)],
    ),
  ])("%s", async (_label, interaction, message) => {
    const response = await signedRequest(JSON.stringify(interaction));
    expect(response.status).toBe(200);
    const body = (await response.json()) as InteractionReply;
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toMatch(message);
  });

  it.each([
    ["options is a string", { ...base("retire"), type: 4, data: { ...base("retire").data, options: "x" } }],
    ["the focused value holds U+0000", base("retire", [{ name: "source", type: 3, value: "re\u0000d", focused: true }])],
    ["the focused value holds a lone surrogate", base("retire", [{ name: "source", type: 3, value: "\ud800", focused: true }])],
  ])("autocomplete where %s answers with no choices", async (_label, interaction) => {
    const response = await signedRequest(JSON.stringify({ ...interaction, type: 4 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 8, data: { choices: [] } });
  });

  it("an option value that is not a snowflake never reaches a URL", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Path" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    const started = Date.now();
    const { body } = await runInvite("create", [opt.str("source", "X"), opt.channel("channel", "../../users/@me")], ctx);
    expect(body.data?.content).toMatch(/`channel` must be a channel/);
    // Opening DM channels (invitation notices, sent by other tests' jobs) is the bot's own doing, and
    // earlier tests' "Join with Discord" sign-ins read /users/@me: only this command's requests count.
    const stray = (await fakeDiscord.requests("/users/@me")).filter((r) => r.path !== "/users/@me/channels" && Date.parse(r.time) >= started);
    expect(stray).toHaveLength(0);
  });
});

describe("the same signed interaction twice", () => {
  it("runs once; the replay is told so", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Replay" });
    const interaction = inviteInteraction("create", [opt.str("source", "Once")], { guildId: guild.id, channelId: guild.channels[0]!.id });
    const body = JSON.stringify(interaction);
    const timestamp = Math.floor(Date.now() / 1000);
    const [first, second] = await Promise.all([signedRequest(body, { timestamp }), signedRequest(body, { timestamp })]);
    const texts = [((await first.json()) as InteractionReply).data?.content, ((await second.json()) as InteractionReply).data?.content];
    expect(texts.filter((t) => /Invite for \*\*Once\*\*/.test(t ?? ""))).toHaveLength(1);
    expect(texts.filter((t) => /already received this exact command/.test(t ?? ""))).toHaveLength(1);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(1);
  });
});
