/**
 * The simulator's gateway shards like Discord: IDENTIFY's `shard` picks the
 * guilds, guild events go to `(guild_id >> 22) % count`, invalid shards and
 * oversized ones are closed, IDENTIFY is limited per max_concurrency bucket,
 * and GET /gateway/bot answers as the spec says.
 */
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebSocket as WsSocket } from "ws";
import { shardOf } from "../../simulator/gateway.ts";
import { snowflake } from "../../simulator/ids.ts";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server.ts";
import { validateResponse } from "../../simulator/spec-validation.ts";
import { waitFor } from "./relay/target.ts";

const { WebSocket } = createRequire(import.meta.url)("ws") as typeof import("ws");

interface Client {
  socket: WsSocket;
  received: { op: number; t?: string; d: unknown }[];
  closed: { code: number } | null;
}

const GUILDS = Array.from({ length: 6 }, (_, i) => snowflake(Date.UTC(2024, 0, 1) + i));

describe("simulator gateway sharding", () => {
  let discord: FakeDiscord;

  const connect = async (shard?: unknown): Promise<Client> => {
    const socket = new WebSocket(discord.gateway.gatewayBot().url);
    const client: Client = { socket, received: [], closed: null };
    socket.on("message", (raw) => client.received.push(JSON.parse(String(raw)) as Client["received"][number]));
    socket.on("close", (code) => (client.closed = { code }));
    await waitFor("HELLO", () => client.received.some((m) => m.op === 10));
    socket.send(JSON.stringify({ op: 2, d: { token: "t", intents: 0, properties: {}, ...(shard === undefined ? {} : { shard }) } }));
    return client;
  };
  const ready = async (client: Client) => {
    await waitFor("READY", () => client.received.some((m) => m.t === "READY"));
    return client.received.find((m) => m.t === "READY")!.d as { shard: [number, number]; guilds: { id: string }[] };
  };
  const guildCreates = (client: Client) => client.received.filter((m) => m.t === "GUILD_CREATE").map((m) => (m.d as { id: string }).id);
  const gatewayBot = async () => {
    const res = await fetch(`${discord.apiBase}/gateway/bot`, { headers: { Authorization: "Bot t" } });
    const body = (await res.json()) as { shards: number; session_start_limit: { remaining: number; max_concurrency: number } };
    expect(validateResponse("get", "/gateway/bot", res.status, body)).toEqual([]);
    return body;
  };

  beforeEach(async () => {
    discord = await startFakeDiscord({ latency: false, maxConcurrency: 2 });
    for (const id of GUILDS) discord.state.createGuild({ id, name: `guild ${id}` });
  });
  afterEach(() => discord.close());

  it("gives each shard its guilds and routes their events by (guild_id >> 22) % count", async () => {
    const shards = [await connect([0, 2]), await connect([1, 2])];
    for (const [id, client] of shards.entries()) {
      const mine = GUILDS.filter((g) => shardOf(g, 2) === id);
      expect(mine.length).toBeGreaterThan(0);
      expect(await ready(client)).toMatchObject({ shard: [id, 2], guilds: mine.map((g) => ({ id: g })) });
      await waitFor("GUILD_CREATEs", () => guildCreates(client).length === mine.length);
      expect(guildCreates(client)).toEqual(mine);
    }
    for (const guild of GUILDS) discord.gateway.dispatch("GUILD_MEMBER_ADD", { guild_id: guild, user: { id: "1" } });
    discord.gateway.dispatch("MESSAGE_CREATE", { id: "5", channel_id: "6" }); // no guild: shard 0, as DMs
    await waitFor("every dispatch", () => shards.every((c) => c.received.filter((m) => m.op === 0).length >= 2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const [id, client] of shards.entries()) {
      const adds = client.received.filter((m) => m.t === "GUILD_MEMBER_ADD").map((m) => (m.d as { guild_id: string }).guild_id);
      expect(adds).toEqual(GUILDS.filter((g) => shardOf(g, 2) === id));
      expect(client.received.some((m) => m.t === "MESSAGE_CREATE")).toBe(id === 0);
    }
    for (const client of shards) client.socket.close();
  });

  it.each([[[2, 2]], [[0, 0]], [[-1, 2]], [[0]], ["0,2"]])("closes IDENTIFY with shard %j: 4010 Invalid shard", async (shard) => {
    const client = await connect(shard);
    await waitFor("the close", () => client.closed !== null);
    expect(client.closed).toEqual({ code: 4010 });
  });

  it("closes a shard holding more than 2,500 guilds with 4011, and recommends a shard per 1,000", async () => {
    for (let i = 0; i < 2_500; i++) discord.state.createGuild({ id: snowflake(Date.UTC(2023, 0, 1) + i), name: `g${i}` });
    expect((await gatewayBot()).shards).toBe(3);
    const client = await connect();
    await waitFor("the close", () => client.closed !== null);
    expect(client.closed).toEqual({ code: 4011 });
  });

  it("answers GET /gateway/bot per the spec and limits IDENTIFY per max_concurrency bucket", async () => {
    expect(await gatewayBot()).toMatchObject({ shards: 1, session_start_limit: { remaining: 1000, max_concurrency: 2 } });
    const first = await connect([0, 4]);
    await ready(first);
    const sameBucket = await connect([2, 4]); // 2 % 2 === 0 % 2: within 5 s of shard 0
    await waitFor("INVALID_SESSION", () => sameBucket.received.some((m) => m.op === 9));
    expect(sameBucket.received.find((m) => m.op === 9)?.d).toBe(false);
    await ready(await connect([1, 4])); // another bucket identifies at once
    expect(discord.gateway.stats).toMatchObject({ identifies: 2, refusedIdentifies: 1 });
    expect((await gatewayBot()).session_start_limit.remaining).toBe(998);
  });
});
