import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
