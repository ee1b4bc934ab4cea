import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EdgeGate, isEdgeRefusal } from "../../worker/discord/edge";
import { DiscordRest } from "../../worker/discord/rest";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";

let discord: FakeDiscord;
let guildId: string;
beforeAll(async () => {
  discord = await startFakeDiscord();
  guildId = discord.state.createGuild({ name: "REST" }).id;
});
afterAll(() => discord.close());

const client = (options: { maxWaitMs?: number; maxAttempts?: number } = {}) => {
  const slept: number[] = [];
  const rest = new DiscordRest({
    apiBase: discord.apiBase,
    token: "t",
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...options,
  });
  return { rest, slept };
};

describe("DiscordRest", () => {
  it("waits Discord's retry_after on a 429 and then succeeds", async () => {
    discord.limiter.forceRateLimit({ method: "GET", path_prefix: `/guilds/${guildId}/invites`, count: 1, retry_after: 0.4 });
    const { rest, slept } = client();
    const result = await rest.get<unknown[]>(`/guilds/${guildId}/invites`);
    expect(result).toEqual({ ok: true, value: [] });
    expect(slept).toEqual([400]);
  });

  it("gives up with the wait Discord asked for when it exceeds the budget", async () => {
    discord.limiter.forceRateLimit({ method: "GET", path_prefix: `/guilds/${guildId}/invites`, count: 1, retry_after: 30 });
    const { rest, slept } = client({ maxWaitMs: 1_000 });
    const result = await rest.get(`/guilds/${guildId}/invites`);
    expect(result).toEqual({ ok: false, error: { kind: "discord_unavailable", reason: "rate_limited", retryAfterMs: 30_000 } });
    expect(slept).toEqual([]);
  });

  it("retries a 5xx with backoff", async () => {
    discord.limiter.forceFailure({ method: "GET", path_prefix: `/guilds/${guildId}/invites`, count: 2, status: 502 });
    const { rest, slept } = client();
    expect((await rest.get(`/guilds/${guildId}/invites`)).ok).toBe(true);
    expect(slept).toEqual([100, 200]);
  });

  it("returns Discord's error code as a typed failure, without retrying", async () => {
    const { rest, slept } = client();
    const result = await rest.get("/invites/doesnotexist");
    expect(result).toEqual({ ok: false, error: { kind: "discord", status: 404, code: 10006, message: "Unknown Invite" } });
    expect(slept).toEqual([]);
  });

  it("reports a network failure as unavailable after its attempts", async () => {
    const rest = new DiscordRest({ apiBase: "http://127.0.0.1:9/api/v10", token: "t", maxAttempts: 2, sleep: async () => {} });
    expect(await rest.get("/gateway")).toEqual({ ok: false, error: { kind: "discord_unavailable", reason: "network" } });
  });
});

describe("Discord's edge refusing the bot", () => {
  it.each([
    ["Cloudflare's 1015 page", 429, '<!DOCTYPE html><html><h1>Error <span class="cf-error-code">1015</span></h1></html>', true],
    ["the plain 1015 text", 429, "error code: 1015", true],
    ["a 429 with no body", 429, "", true],
    ["a 429 whose body is not Discord's JSON", 429, '{"message": "nope"}', true],
    ["Discord's own 429", 429, '{"message": "You are being rate limited.", "retry_after": 0.5, "global": false}', false],
    ["a 403 page that is not 1015", 403, "<html>Forbidden</html>", false],
    ["Discord's 404", 404, '{"message": "Unknown Invite", "code": 10006}', false],
  ])("%s: %s", (_label, status, body, refused) => expect(isEdgeRefusal(status, body)).toBe(refused));

  it.each([
    ["the first refusal, jitter drawn low", 0, [], 2_500],
    ["drawn high", 1, [], 5_000],
    ["the third in a row", 0, [null, null], 10_000],
    ["a Retry-After longer than the backoff", 0, [], 60_000, 60_000],
  ])("waits %s", (_label, draw, before, expected, retryAfter: number | null = null) => {
    const gate = new EdgeGate(() => draw);
    for (const previous of before) gate.refused(0, previous);
    expect(gate.refused(0, retryAfter)).toBe(expected);
  });

  it.each(["html_1015", "bare_429"] as const)("takes %s for an outage of the whole bot: every client of the gate waits, then goes on", async (mode) => {
    let now = 1_000_000;
    const gate = new EdgeGate(() => 0.5);
    const shared = { apiBase: discord.apiBase, token: "t", edgeGate: gate, now: () => now, maxWaitMs: 1_000, sleep: async () => {} };
    const invites = new DiscordRest(shared);
    const messages = new DiscordRest(shared);
    discord.limiter.edge.start(mode, 60);
    discord.requests.clear();
    expect(await invites.get(`/guilds/${guildId}/invites`)).toEqual({ ok: false, error: { kind: "discord_unavailable", reason: "edge_blocked", retryAfterMs: 3_750 } });
    // Another route, another client: not sent at all while the gate is shut.
    expect(await messages.get(`/guilds/${guildId}`)).toEqual({ ok: false, error: { kind: "discord_unavailable", reason: "edge_blocked", retryAfterMs: 3_750 } });
    expect(discord.requests.list({}).length).toBe(1);
    expect(invites.rateLimitHits).toBe(0); // not a route's rate limit
    discord.limiter.edge.start(mode, 0);
    now += 3_750;
    expect((await messages.get(`/guilds/${guildId}`)).ok).toBe(true);
  });

  it("waits for the gate within its budget rather than giving up", async () => {
    let now = 0;
    const gate = new EdgeGate(() => 0);
    gate.refused(now, null);
    const slept: number[] = [];
    const rest = new DiscordRest({ apiBase: discord.apiBase, token: "t", edgeGate: gate, now: () => now, sleep: async (ms) => void slept.push((now += ms)), maxWaitMs: 5_000 });
    expect((await rest.get(`/guilds/${guildId}/invites`)).ok).toBe(true);
    expect(slept).toEqual([2_500]);
  });
});
