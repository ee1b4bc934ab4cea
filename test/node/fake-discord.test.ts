/**
 * The fake Discord is the only stand-in for Discord in this project, so it is
 * held to Discord's contract: every served endpoint is called over real HTTP,
 * every response is checked against Discord's OpenAPI spec (the committed
 * subset), and Discord's limits and error codes are asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import { validateComponent, validateRequestBody, validateResponse } from "../../simulator/spec-validation";

let discord: FakeDiscord;
let nextId = 900000000000000000n;
const id = () => String(nextId++);

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

async function call(method: string, path: string, options: { body?: unknown; raw?: string; auth?: boolean } = {}): Promise<Reply> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.auth ?? true) headers.Authorization = "Bot test-token";
  const res = await fetch(`${discord.apiBase}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Calls the API and asserts the answer matches the spec for `template` (Discord's path template). */
async function api(method: string, template: string, path: string, options: Parameters<typeof call>[2] = {}): Promise<Reply> {
  const reply = await call(method, path, options);
  expect(validateResponse(method, template, reply.status, reply.body), `${method} ${path} → ${reply.status}`).toEqual([]);
  return reply;
}

async function control(method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${discord.origin}/_fake${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function createGuild(extra: Record<string, unknown> = {}) {
  const guild = await control("POST", "/guilds", { name: "Test guild", ...extra });
  expect(guild.status).toBe(201);
  return guild.body as { id: string; channels: Array<{ id: string }>; members: unknown[] };
}

const user = () => ({ id: id(), username: `user${nextId}` });

beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await discord.close();
});

describe("control API", () => {
  it("creates a guild with generated snowflakes and a default #general", async () => {
    const guild = await createGuild();
    expect(guild.id).toMatch(/^[1-9][0-9]{17,19}$/);
    expect(guild.channels).toMatchObject([{ name: "general", type: 0 }]);
    expect(validateResponse("get", "/guilds/{guild_id}", 200, { ...guild, channels: undefined, members: undefined })).toEqual([]);
  });
});

describe("invites", () => {
  it("lists a guild's invites with metadata", async () => {
    const guild = await createGuild();
    const inviter = user();
    await control("POST", `/guilds/${guild.id}/members`, { user: inviter });
    const created = await control("POST", `/guilds/${guild.id}/invites`, { code: `list${nextId}`, inviter_id: inviter.id, uses: 3, max_uses: 10 });
    expect(created.status).toBe(201);
    const list = await api("GET", "/guilds/{guild_id}/invites", `/guilds/${guild.id}/invites`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        code: `list${nextId}`,
        uses: 3,
        max_uses: 10,
        max_age: 86400,
        temporary: false,
        created_at: expect.any(String),
        expires_at: expect.any(String),
        inviter: expect.objectContaining({ id: inviter.id }),
      }),
    ]);
  });

  it("creates an invite with Discord's defaults and an 8–10 character code", async () => {
    const guild = await createGuild();
    const reply = await api("POST", "/channels/{channel_id}/invites", `/channels/${guild.channels[0]!.id}/invites`, { body: {} });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ max_age: 86400, max_uses: 0, uses: 0, temporary: false, guild_id: guild.id });
    expect(reply.body.code).toMatch(/^[A-Za-z0-9]{8,10}$/);
  });

  it("reuses a matching invite unless unique is true", async () => {
    const guild = await createGuild();
    const path = `/channels/${guild.channels[0]!.id}/invites`;
    const first = await api("POST", "/channels/{channel_id}/invites", path, { body: { max_uses: 1 } });
    const again = await api("POST", "/channels/{channel_id}/invites", path, { body: { max_uses: 1 } });
    const unique = await api("POST", "/channels/{channel_id}/invites", path, { body: { max_uses: 1, unique: true } });
    expect(again.body.code).toBe(first.body.code);
    expect(unique.body.code).not.toBe(first.body.code);
  });

  it.each([
    { body: { max_uses: 101 }, field: "max_uses", code: "NUMBER_TYPE_MAX" },
    { body: { max_uses: -1 }, field: "max_uses", code: "NUMBER_TYPE_MIN" },
    { body: { max_age: 604801 }, field: "max_age", code: "NUMBER_TYPE_MAX" },
    { body: { max_age: -1 }, field: "max_age", code: "NUMBER_TYPE_MIN" },
    { body: { max_uses: 1.5 }, field: "max_uses", code: "NUMBER_TYPE_COERCE" },
    { body: { max_age: "soon" }, field: "max_age", code: "NUMBER_TYPE_COERCE" },
  ])("refuses $body with 400 50035 on $field", async ({ body, field, code }) => {
    const guild = await createGuild();
    const reply = await call("POST", `/channels/${guild.channels[0]!.id}/invites`, { body });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ message: "Invalid Form Body", code: 50035 });
    expect(reply.body.errors[field]._errors[0]).toMatchObject({ code, message: expect.any(String) });
    // Discord's field-error codes are strings; the spec types them as integers, so check the envelope only.
    const { errors: _, ...envelope } = reply.body;
    expect(validateResponse("post", "/channels/{channel_id}/invites", 400, envelope)).toEqual([]);
  });

  it.each([
    { body: { max_uses: 100, max_age: 604800 } },
    { body: { max_uses: 0, max_age: 0 } },
    { body: { max_uses: null, max_age: null, temporary: null, unique: null } },
  ])("accepts the boundaries $body", async ({ body }) => {
    const guild = await createGuild();
    const reply = await api("POST", "/channels/{channel_id}/invites", `/channels/${guild.channels[0]!.id}/invites`, { body });
    expect(reply.status).toBe(200);
    expect(reply.body.expires_at === null).toBe(reply.body.max_age === 0);
  });

  it("caps a guild at 1000 invites (30016)", async () => {
    const guild = await createGuild();
    for (let i = 0; i < 999; i++) discord.state.createInvite(guild.id, { max_age: 0 });
    const path = `/channels/${guild.channels[0]!.id}/invites`;
    const thousandth = await api("POST", "/channels/{channel_id}/invites", path, { body: { unique: true } });
    expect(thousandth.status).toBe(200);
    const over = await api("POST", "/channels/{channel_id}/invites", path, { body: { unique: true } });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ message: "Maximum number of invites reached (1000)", code: 30016 });
  });

  it("resolves an invite with its guild, channel and counts, without metadata", async () => {
    const guild = await createGuild();
    const invite = await control("POST", `/guilds/${guild.id}/invites`, {});
    const reply = await api("GET", "/invites/{code}", `/invites/${invite.body.code}?with_counts=true&with_expiration=true`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      code: invite.body.code,
      guild: { id: guild.id, name: "Test guild" },
      channel: { id: guild.channels[0]!.id, name: "general" },
      approximate_member_count: 1,
    });
    expect(reply.body).not.toHaveProperty("uses");
  });

  it("revokes an invite: 200 with the invite, then it is unknown", async () => {
    const guild = await createGuild();
    const invite = await control("POST", `/guilds/${guild.id}/invites`, {});
    const deleted = await api("DELETE", "/invites/{code}", `/invites/${invite.body.code}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.code).toBe(invite.body.code);
    const after = await api("GET", "/invites/{code}", `/invites/${invite.body.code}`);
    expect(after.body).toEqual({ message: "Unknown Invite", code: 10006 });
  });

  it("deletes a single-use invite once it is used, and records the truth", async () => {
    const guild = await createGuild();
    const inviter = user();
    const invite = await control("POST", `/guilds/${guild.id}/invites`, { max_uses: 1, inviter_id: inviter.id });
    const joiner = user();
    const joined = await control("POST", `/invites/${invite.body.code}/join`, { user: joiner });
    expect(joined.status).toBe(200);
    expect(joined.body.invite).toEqual({ code: invite.body.code, uses: 1, max_uses: 1, deleted: true });
    expect(validateComponent("GuildMemberResponse", joined.body.member)).toEqual([]);

    const list = await api("GET", "/guilds/{guild_id}/invites", `/guilds/${guild.id}/invites`);
    expect(list.body).toEqual([]);
    expect((await api("GET", "/invites/{code}", `/invites/${invite.body.code}`)).status).toBe(404);
    expect((await control("POST", `/invites/${invite.body.code}/join`, { user: user() })).status).toBe(404);

    const joins = await control("GET", `/guilds/${guild.id}/joins`);
    expect(joins.body).toEqual([
      expect.objectContaining({ user_id: joiner.id, invite_code: invite.body.code, inviter_id: inviter.id, join_source_type: 5 }),
    ]);
    const events = await control("GET", `/guilds/${guild.id}/events?wait=true`);
    expect(events.body.map((e: { t: string }) => e.t)).toEqual(["INVITE_CREATE", "GUILD_MEMBER_ADD", "INVITE_DELETE"]);
  });

  it("forgets an invite whose max_age has elapsed", async () => {
    const guild = await createGuild();
    const createdAt = new Date(Date.now() - 120_000).toISOString();
    const invite = await control("POST", `/guilds/${guild.id}/invites`, { max_age: 60, created_at: createdAt });
    const live = await control("POST", `/guilds/${guild.id}/invites`, { max_age: 3600, created_at: createdAt });
    const list = await api("GET", "/guilds/{guild_id}/invites", `/guilds/${guild.id}/invites`);
    expect(list.body.map((i: { code: string }) => i.code)).toEqual([live.body.code]);
    expect((await api("GET", "/invites/{code}", `/invites/${invite.body.code}`)).body.code).toBe(10006);
    expect((await control("POST", `/invites/${invite.body.code}/join`, { user: user() })).status).toBe(404);
  });
});

describe("guilds", () => {
  it("serves the guild, its channels, a member and the vanity URL", async () => {
    const member = user();
    const guild = await createGuild({
      features: ["VANITY_URL"],
      vanity_url_code: `v${nextId}`,
      vanity_uses: 7,
      channels: [{ name: "welcome" }, { name: "voice", type: 2 }],
      members: [{ user: member, roles: [] }],
    });
    const g = await api("GET", "/guilds/{guild_id}", `/guilds/${guild.id}?with_counts=true`);
    expect(g.body).toMatchObject({ id: guild.id, approximate_member_count: 2 });
    const channels = await api("GET", "/guilds/{guild_id}/channels", `/guilds/${guild.id}/channels`);
    expect(channels.body.map((c: { name: string }) => c.name)).toEqual(["welcome", "voice"]);
    const m = await api("GET", "/guilds/{guild_id}/members/{user_id}", `/guilds/${guild.id}/members/${member.id}`);
    expect(m.body.user).toMatchObject(member);
    const vanity = await api("GET", "/guilds/{guild_id}/vanity-url", `/guilds/${guild.id}/vanity-url`);
    expect(vanity.body).toEqual({ code: `v${nextId}`, uses: 7 });

    const joined = await control("POST", `/guilds/${guild.id}/vanity/join`, { user: user() });
    expect(joined.body.vanity.uses).toBe(8);
    expect((await api("GET", "/guilds/{guild_id}/vanity-url", `/guilds/${guild.id}/vanity-url`)).body.uses).toBe(8);
  });
  it("answers a channel lookup with its guild_id; 404 for no channel, 403 in a server the bot is not in (posting and invites too)", async () => {
    const guild = await createGuild();
    const channel = await api("GET", "/channels/{channel_id}", `/channels/${guild.channels[0]!.id}`);
    expect(channel.body).toMatchObject({ id: guild.channels[0]!.id, guild_id: guild.id, type: 0 });
    expect((await api("GET", "/channels/{channel_id}", "/channels/1")).body).toEqual({ message: "Unknown Channel", code: 10003 });
    const elsewhere = await createGuild({ bot_absent: true });
    const hidden = elsewhere.channels[0]!.id;
    const missingAccess = { status: 403, body: { message: "Missing Access", code: 50001 } };
    expect(await api("GET", "/channels/{channel_id}", `/channels/${hidden}`)).toMatchObject(missingAccess);
    expect(await api("POST", "/channels/{channel_id}/messages", `/channels/${hidden}/messages`, { body: { content: "hi" } })).toMatchObject(missingAccess);
    expect(await api("POST", "/channels/{channel_id}/invites", `/channels/${hidden}/invites`, { body: {} })).toMatchObject(missingAccess);
  });
});

describe("errors", () => {
  it.each([
    { name: "unknown guild", method: "GET", template: "/guilds/{guild_id}", path: () => `/guilds/1`, status: 404, body: { message: "Unknown Guild", code: 10004 } },
    { name: "unknown guild's invites", method: "GET", template: "/guilds/{guild_id}/invites", path: () => `/guilds/1/invites`, status: 404, body: { message: "Unknown Guild", code: 10004 } },
    { name: "unknown guild's channels", method: "GET", template: "/guilds/{guild_id}/channels", path: () => `/guilds/1/channels`, status: 404, body: { message: "Unknown Guild", code: 10004 } },
    { name: "unknown channel", method: "POST", template: "/channels/{channel_id}/invites", path: () => `/channels/1/invites`, status: 404, body: { message: "Unknown Channel", code: 10003 } },
    { name: "unknown invite", method: "GET", template: "/invites/{code}", path: () => `/invites/nope`, status: 404, body: { message: "Unknown Invite", code: 10006 } },
    { name: "revoking an unknown invite", method: "DELETE", template: "/invites/{code}", path: () => `/invites/nope`, status: 404, body: { message: "Unknown Invite", code: 10006 } },
    { name: "unknown member", method: "GET", template: "/guilds/{guild_id}/members/{user_id}", path: (g: string) => `/guilds/${g}/members/1`, status: 404, body: { message: "Unknown Member", code: 10007 } },
    { name: "vanity URL without the feature", method: "GET", template: "/guilds/{guild_id}/vanity-url", path: (g: string) => `/guilds/${g}/vanity-url`, status: 403, body: { message: "Missing Access", code: 50001 } },
    { name: "no @original yet", method: "GET", template: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", path: () => `/webhooks/1/none/messages/@original`, status: 404, body: { message: "Unknown Message", code: 10008 } },
  ])("$name → $status $body.code", async ({ method, template, path, status, body }) => {
    const guild = await createGuild();
    const reply = await api(method, template, path(guild.id), method === "POST" ? { body: {} } : {});
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
    for (const h of ["Limit", "Remaining", "Reset", "Reset-After", "Bucket"]) expect(reply.headers.get(`X-RateLimit-${h}`)).not.toBeNull();
  });

  it.each([
    { method: "GET", path: "/guilds/1/invites" },
    { method: "POST", path: "/channels/1/invites" },
    { method: "DELETE", path: "/invites/abc" },
    { method: "GET", path: "/guilds/1" },
    { method: "POST", path: "/users/@me/channels" },
    { method: "PUT", path: "/applications/1/commands" },
    { method: "POST", path: "/guilds/1/members-search" },
  ])("$method $path without a bot token → 401", async ({ method, path }) => {
    const reply = await call(method, path, { auth: false, body: method === "GET" || method === "DELETE" ? undefined : {} });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ message: "401: Unauthorized", code: 0 });
  });

  it("answers unknown routes 404 code 0 and malformed JSON 50109", async () => {
    expect(await call("GET", "/nowhere")).toMatchObject({ status: 404, body: { message: "404: Not Found", code: 0 } });
    const guild = await createGuild();
    const bad = await api("POST", "/channels/{channel_id}/invites", `/channels/${guild.channels[0]!.id}/invites`, { raw: "{max_uses:" });
    expect(bad).toMatchObject({ status: 400, body: { message: "The request body contains invalid JSON.", code: 50109 } });
  });
});

describe("rate limits and failures", () => {
  it("forces a 429 with Retry-After and retry_after, then succeeds", async () => {
    const guild = await createGuild();
    const path = `/guilds/${guild.id}/invites`;
    expect((await control("POST", "/rate-limit", { method: "GET", path_prefix: path, count: 1, retry_after: 0.25 })).status).toBe(204);
    const limited = await api("GET", "/guilds/{guild_id}/invites", path);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ message: "You are being rate limited.", retry_after: 0.25, global: false });
    expect(limited.headers.get("Retry-After")).toBe("1");
    expect(limited.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(limited.headers.get("X-RateLimit-Reset-After")).toBe("0.250");
    expect((await api("GET", "/guilds/{guild_id}/invites", path)).status).toBe(200);
  });

  it("forces a global 429", async () => {
    await control("POST", "/rate-limit", { path_prefix: "/users/@me/channels", count: 1, retry_after: 1.5, global: true });
    const limited = await call("POST", "/users/@me/channels", { body: { recipient_id: "1" } });
    expect(limited.status).toBe(429);
    expect(limited.body.global).toBe(true);
    expect(limited.headers.get("X-RateLimit-Global")).toBe("true");
    expect(limited.headers.get("Retry-After")).toBe("2");
  });

  it.each([500, 502, 503])("forces a %i, then succeeds", async (status) => {
    const guild = await createGuild();
    await control("POST", "/failures", { path_prefix: `/guilds/${guild.id}`, count: 2, status });
    expect((await call("GET", `/guilds/${guild.id}`)).status).toBe(status);
    expect((await call("GET", `/guilds/${guild.id}/channels`)).status).toBe(status);
    expect((await call("GET", `/guilds/${guild.id}`)).status).toBe(200);
  });

  it("enforces a configured per-route bucket, split by the major parameter and by token", async () => {
    // Without latency: a 300 ms window must not lapse while a request waits on the fake.
    const limited = await startFakeDiscord({ buckets: { "POST /channels/{channel_id}/invites": { limit: 2, windowMs: 300 } }, latency: false });
    try {
      const guild = limited.state.createGuild({ name: "bucket", channels: [{ name: "a" }, { name: "b" }] });
      const [a, b] = limited.state.guildChannels(guild.id);
      const post = (channelId: string, token = "t") =>
        fetch(`${limited.apiBase}/channels/${channelId}/invites`, { method: "POST", headers: { Authorization: `Bot ${token}`, "Content-Type": "application/json" }, body: "{}" });
      const first = await post(a!.id);
      expect(first.headers.get("X-RateLimit-Limit")).toBe("2");
      expect(first.headers.get("X-RateLimit-Remaining")).toBe("1");
      expect((await post(a!.id)).headers.get("X-RateLimit-Remaining")).toBe("0");
      const third = await post(a!.id);
      expect(third.status).toBe(429);
      const body = (await third.json()) as { retry_after: number };
      expect(body.retry_after).toBeGreaterThan(0);
      expect(body.retry_after).toBeLessThanOrEqual(0.3);
      expect((await post(b!.id)).status).toBe(200); // another channel, another bucket
      expect((await post(a!.id, "another-bot")).status).toBe(200); // another bot's requests count for it alone
      await new Promise((r) => setTimeout(r, body.retry_after * 1000 + 20));
      expect((await post(a!.id)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("messages", () => {
  it("opens a DM channel and stores messages sent to it", async () => {
    const recipient = user();
    await createGuild({ members: [{ user: recipient }] });
    const dm = await api("POST", "/users/@me/channels", "/users/@me/channels", { body: { recipient_id: recipient.id } });
    expect(dm.body).toMatchObject({ type: 1, recipients: [{ id: recipient.id }] });
    const sent = await api("POST", "/channels/{channel_id}/messages", `/channels/${dm.body.id}/messages`, { body: { content: "Your invitation" } });
    expect(sent.body).toMatchObject({ content: "Your invitation", channel_id: dm.body.id, author: { bot: true } });
    expect((await control("GET", `/channels/${dm.body.id}/messages`)).body).toEqual([sent.body]);
    expect((await control("GET", `/users/${recipient.id}/dms`)).body).toEqual([sent.body]);
    const empty = await api("POST", "/channels/{channel_id}/messages", `/channels/${dm.body.id}/messages`, { body: { content: "" } });
    expect(empty.body).toEqual({ message: "Cannot send an empty message", code: 50006 });
  });

  it("refuses DMs to a user who closed them (50007)", async () => {
    const recipient = { ...user(), dms_closed: true };
    await createGuild({ members: [{ user: recipient }] });
    const dm = await api("POST", "/users/@me/channels", "/users/@me/channels", { body: { recipient_id: recipient.id } });
    const sent = await api("POST", "/channels/{channel_id}/messages", `/channels/${dm.body.id}/messages`, { body: { content: "hi" } });
    expect(sent).toMatchObject({ status: 403, body: { message: "Cannot send messages to this user", code: 50007 } });
  });
});

describe("interactions", () => {
  it("stores the callback, @original edits and follow-ups in order", async () => {
    const token = `token-${nextId}`;
    const callback = await call("POST", `/interactions/${id()}/${token}/callback`, { auth: false, body: { type: 5, data: { flags: 64 } } });
    expect(callback.status).toBe(204);
    const base = `/webhooks/100000000000000001/${token}`;
    const edited = await api("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", `${base}/messages/@original`, { auth: false, body: { content: "Done" } });
    expect(edited.body).toMatchObject({ content: "Done", flags: 64, edited_timestamp: expect.any(String) });
    const original = await api("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", `${base}/messages/@original`, { auth: false });
    expect(original.body.id).toBe(edited.body.id);
    const followUp = await api("POST", "/webhooks/{webhook_id}/{webhook_token}", base, { auth: false, body: { content: "More" } });
    expect(followUp.body.content).toBe("More");
    const log = await control("GET", `/webhooks/${token}`);
    expect(log.body.map((m: { content: string }) => m.content)).toEqual(["Done", "More"]);
    expect((await control("GET", `/interactions/${token}/callbacks`)).body).toEqual([{ type: 5, data: { flags: 64 } }]);
  });

  it("creates @original on a first PATCH (the initial reply went straight to Discord)", async () => {
    const token = `token-${nextId}`;
    const path = `/webhooks/1/${token}/messages/@original`;
    const reply = await api("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", path, { auth: false, body: { content: "Hi" } });
    expect(reply.status).toBe(200);
    expect((await control("GET", `/webhooks/${token}`)).body).toHaveLength(1);
  });
});

describe("application commands", () => {
  const commands = [
    {
      name: "invite",
      description: "Manage invites",
      type: 1,
      default_member_permissions: "32",
      options: [{ type: 1, name: "list", description: "List invites", options: [{ type: 3, name: "source", description: "Source", required: false }] }],
    },
    { name: "invitations", description: "Your invitations", type: 1 },
  ];

  it("validateRequestBody accepts a correct body and explains a wrong one", () => {
    expect(validateRequestBody("put", "/applications/{application_id}/commands", commands)).toEqual([]);
    const errors = validateRequestBody("PUT", "/applications/{application_id}/commands", [{ name: "x".repeat(33), description: "d" }]);
    expect(errors.join("\n")).toContain("/0/name");
  });

  it("bulk-overwrites global commands, keeping ids of commands that stay", async () => {
    const path = "/applications/100000000000000001/commands";
    const first = await api("PUT", "/applications/{application_id}/commands", path, { body: commands });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject([{ name: "invite", application_id: "100000000000000001", default_member_permissions: "32" }, { name: "invitations" }]);
    const second = await api("PUT", "/applications/{application_id}/commands", path, { body: [commands[0]] });
    expect(second.body.map((c: { id: string }) => c.id)).toEqual([first.body[0].id]);
    expect((await api("GET", "/applications/{application_id}/commands", path)).body).toEqual(second.body);
  });

  it("bulk-overwrites guild commands; a guild the bot is not in is 403", async () => {
    const guild = await createGuild();
    const reply = await api("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", `/applications/1/guilds/${guild.id}/commands`, { body: commands });
    expect(reply.body[0]).toMatchObject({ guild_id: guild.id });
    const missing = await api("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", `/applications/1/guilds/1/commands`, { body: commands });
    expect(missing).toMatchObject({ status: 403, body: { code: 50001 } });
  });

  it.each([
    { name: "a name longer than 32", body: [{ name: "x".repeat(33), description: "d" }], field: "name" },
    { name: "an uppercase name", body: [{ name: "Invite", description: "d" }], field: "name" },
    { name: "a slash command without description", body: [{ name: "invite" }], field: "description" },
    { name: "a duplicate name", body: [{ name: "a", description: "d" }, { name: "a", description: "d" }], field: "name" },
  ])("refuses $name with 50035", async ({ body, field }) => {
    const reply = await call("PUT", "/applications/1/commands", { body });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe(50035);
    const index = Object.keys(reply.body.errors)[0]!;
    expect(reply.body.errors[index][field]._errors[0].code).toEqual(expect.any(String));
  });
});

describe("members-search", () => {
  it("returns members with how they joined, filtered by user id", async () => {
    const vanityCode = `s${nextId}`;
    const guild = await createGuild({ vanity_url_code: vanityCode });
    const invite = await control("POST", `/guilds/${guild.id}/invites`, { inviter_id: "42" });
    const viaInvite = user();
    const viaVanity = user();
    await control("POST", `/invites/${invite.body.code}/join`, { user: viaInvite });
    await control("POST", `/guilds/${guild.id}/vanity/join`, { user: viaVanity });
    await control("POST", `/guilds/${guild.id}/members`, { user: user() });

    const reply = await call("POST", `/guilds/${guild.id}/members-search`, {
      body: { limit: 10, and_query: { user_id: { or_query: [viaInvite.id, viaVanity.id] } }, sort: 2 },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ guild_id: guild.id, page_result_count: 2, total_result_count: 2 });
    expect(reply.body.members.map((m: Record<string, unknown>) => [m.source_invite_code, m.join_source_type, m.inviter_id])).toEqual([
      [invite.body.code, 5, "42"],
      [vanityCode, 6, null],
    ]);
    for (const m of reply.body.members) expect(validateComponent("GuildMemberResponse", m.member)).toEqual([]);

    const byInvite = await call("POST", `/guilds/${guild.id}/members-search`, { body: { and_query: { join_source_type: { or_query: [5] } } } });
    expect(byInvite.body.members.map((m: { member: { user: { id: string } } }) => m.member.user.id)).toEqual([viaInvite.id]);
  });

  it("refuses a body Discord would not understand", async () => {
    const guild = await createGuild();
    const reply = await call("POST", `/guilds/${guild.id}/members-search`, { body: { and: { user_id: { or: ["1"] } } } });
    expect(reply).toMatchObject({ status: 400, body: { code: 50035 } });
  });
});

describe("request log", () => {
  it("records API requests and can be filtered and cleared", async () => {
    const guild = await createGuild();
    await call("GET", `/guilds/${guild.id}/invites?x=1`);
    const log = await control("GET", `/requests?path_prefix=/guilds/${guild.id}`);
    expect(log.body).toEqual([
      expect.objectContaining({ method: "GET", path: `/guilds/${guild.id}/invites`, route: "/guilds/{guild_id}/invites", query: { x: "1" }, status: 200 }),
    ]);
    expect((await control("DELETE", "/requests")).status).toBe(204);
    expect((await control("GET", "/requests")).body).toEqual([]);
  });
});

describe("members list, channel history, uploads and nonces", () => {
  it("lists members by user id after a cursor, 1 to 1,000 a page", async () => {
    const ids = ["900000000000100003", "900000000000100001", "900000000000100002"];
    const guild = await createGuild({ members: ids.map((uid) => ({ user: { id: uid, username: `m${uid.slice(-1)}` } })) });
    const first = await api("GET", "/guilds/{guild_id}/members", `/guilds/${guild.id}/members?limit=2&after=0`);
    expect(first.body.map((m: { user: { id: string } }) => m.user.id)).toEqual(["900000000000100001", "900000000000100002"]);
    const next = await api("GET", "/guilds/{guild_id}/members", `/guilds/${guild.id}/members?limit=2&after=900000000000100002`);
    expect(next.body.map((m: { user: { id: string } }) => m.user.id)[0]).toBe("900000000000100003");
    expect((await call("GET", `/guilds/${guild.id}/members?limit=1001`)).body).toMatchObject({ code: 50035 });
  });

  it("takes a multipart message with a file, shows it as an attachment and serves its bytes; refuses a locked channel", async () => {
    const guild = await createGuild({ channels: [{ name: "open" }, { name: "locked", bot_can_send: false }] });
    const [open, locked] = guild.channels.map((c) => c.id);
    const form = () => {
      const f = new FormData();
      f.append("payload_json", JSON.stringify({ embeds: [{ image: { url: "attachment://chart.png" } }], attachments: [{ id: "0", filename: "chart.png" }], nonce: "n-1", enforce_nonce: true }));
      f.append("files[0]", new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), "chart.png");
      return f;
    };
    const send = (channel: string) => fetch(`${discord.apiBase}/channels/${channel}/messages`, { method: "POST", headers: { Authorization: "Bot t" }, body: form() });
    const posted = await send(open!);
    const message = (await posted.json()) as { id: string; attachments: unknown[] };
    expect(posted.status).toBe(200);
    expect(validateResponse("POST", "/channels/{channel_id}/messages", 200, message)).toEqual([]);
    expect(message.attachments).toMatchObject([{ filename: "chart.png", size: 4, content_type: "image/png" }]);
    // enforce_nonce: the same nonce again answers the same message.
    expect(((await (await send(open!)).json()) as { id: string }).id).toBe(message.id);
    const history = await api("GET", "/channels/{channel_id}/messages", `/channels/${open}/messages?limit=10`);
    expect(history.body.map((m: { id: string }) => m.id)).toEqual([message.id]);
    const bytes = await control("GET", `/channels/${open}/messages/${message.id}/attachments`);
    expect(Buffer.from(bytes.body[0].base64, "base64")).toEqual(Buffer.from([137, 80, 78, 71]));
    const refused = await send(locked!);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 50013 });
  });

  it("answers member search with a 202 and retry_after while the guild's index is built, then answers", async () => {
    const guild = await createGuild();
    await control("PATCH", `/guilds/${guild.id}/behaviour`, { member_search: "indexing", rest_latency_ms: [0, 0] });
    const search = () => call("POST", `/guilds/${guild.id}/members-search`, { body: { limit: 10 } });
    const first = await search();
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ code: 110000, retry_after: expect.any(Number) });
    const second = await search();
    expect(second.status).toBe(200);
    expect(second.body.members).toHaveLength(1);
  });
});

describe("roles the bot makes and gives (marks)", () => {
  it("creates roles at position 1 with Discord's fields, only with Manage Roles (50013)", async () => {
    const guild = await createGuild();
    const made = await api("POST", "/guilds/{guild_id}/roles", `/guilds/${guild.id}/roles`, { body: { name: "Reddit", permissions: 0, hoist: false, mentionable: false } });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ name: "Reddit", permissions: "0", position: 1, hoist: false, mentionable: false, color: 0 });
    // The 250-role cap (30005) is exercised through /invite create in test/worker/invite-marks.test.ts.

    const other = await createGuild({ bot_permissions: String(1n << 5n) });
    const refused = await api("POST", "/guilds/{guild_id}/roles", `/guilds/${other.id}/roles`, { body: { name: "Reddit", permissions: 0 } });
    expect([refused.status, refused.body.code]).toEqual([403, 50013]);
  });

  it("PATCH member roles adds and removes only roles below the bot (50013 otherwise); role_ids on an invite must be such roles", async () => {
    const guild = await createGuild();
    const member = user();
    await control("POST", `/guilds/${guild.id}/members`, { user: member });
    await control("PATCH", `/guilds/${guild.id}/bot-role`, { position: 5 });
    const low = (await control("POST", `/guilds/${guild.id}/roles`, { name: "low", position: 2 })).body as { id: string };
    const high = (await control("POST", `/guilds/${guild.id}/roles`, { name: "high", position: 9 })).body as { id: string };
    const patch = (roles: string[]) => api("PATCH", "/guilds/{guild_id}/members/{user_id}", `/guilds/${guild.id}/members/${member.id}`, { body: { roles } });
    expect((await patch([low.id])).body.roles).toEqual([low.id]);
    expect((await patch([low.id, high.id])).body.code).toBe(50013);
    expect((await patch([])).body.roles).toEqual([]);

    const invite = (roleIds: string[]) =>
      api("POST", "/channels/{channel_id}/invites", `/channels/${guild.channels[0]!.id}/invites`, { body: { max_age: 0, unique: true, role_ids: roleIds } });
    expect((await invite([high.id])).body.code).toBe(50013);
    const marked = await invite([low.id]);
    expect(marked.body.roles).toMatchObject([{ id: low.id, name: "low" }]);
  });
});
