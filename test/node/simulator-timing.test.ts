/**
 * The simulator is as slow and as late as Discord: REST answers take their
 * latency and reflect one instant inside it; gateway dispatches arrive late
 * but in order per guild, stragglers holding back what follows; the events
 * log shows only what has been delivered. A fake kinder than Discord would
 * make the attribution bench flatter the bot.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REALISTIC } from "../../simulator/behaviour";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import { FakeDiscordState, type Dispatch } from "../../simulator/state";

const { WebSocket } = createRequire(import.meta.url)("ws") as typeof import("ws");

let nextId = 930000000000000000n;
const user = () => ({ id: String(nextId++), username: `timing${nextId}` });
const get = (discord: FakeDiscord, path: string) => fetch(`${discord.apiBase}${path}`, { headers: { Authorization: "Bot t" } });
const control = (discord: FakeDiscord, method: string, path: string, body?: unknown) =>
  fetch(`${discord.origin}/_fake${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

describe("REST latency", () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord({ latency: { rest_latency_ms: [150, 250], gateway_latency_ms: [0, 0], straggler_rate: 0 }, seed: 1 });
  });
  afterAll(() => discord.close());

  it("answers within its latency, with the invite list as it stood at one instant inside it", async () => {
    const guild = discord.state.createGuild({ name: "busy" });
    const { code } = discord.state.createInvite(guild.id, { max_age: 0 });
    // Members keep joining while the bot reads the list.
    const joining = setInterval(() => discord.state.joinViaInvite(code, user()), 4);
    const reads: Array<{ elapsed: number; uses: number; before: number; after: number; at: number; sent: number; received: number }> = [];
    try {
      for (let i = 0; i < 8; i++) {
        const before = discord.state.invite(code).uses;
        const [sent, started] = [Date.now(), performance.now()];
        const list = (await (await get(discord, `/guilds/${guild.id}/invites`)).json()) as Array<{ uses: number }>;
        const [received, elapsed] = [Date.now(), performance.now() - started];
        const after = discord.state.invite(code).uses;
        const at = Date.parse(discord.requests.list({ path_prefix: `/guilds/${guild.id}/invites` }).at(-1)!.time);
        reads.push({ elapsed, uses: list[0]!.uses, before, after, at, sent, received });
      }
    } finally {
      clearInterval(joining);
    }
    const joinedAt = discord.state.joins.filter((j) => j.guild_id === guild.id).map((j) => Date.parse(j.joined_at));
    for (const read of reads) {
      expect(read.elapsed).toBeGreaterThanOrEqual(149);
      expect(read.elapsed).toBeLessThan(250 + 150); // a loaded machine's slack
      expect(read.uses).toBeGreaterThanOrEqual(read.before);
      expect(read.uses).toBeLessThanOrEqual(read.after);
      // The snapshot holds exactly the joins stamped before its instant (same millisecond: either side).
      expect(read.uses).toBeGreaterThanOrEqual(joinedAt.filter((t) => t < read.at).length);
      expect(read.uses).toBeLessThanOrEqual(joinedAt.filter((t) => t <= read.at).length);
    }
    // Read neither on arrival nor on departure, but somewhere in between.
    expect(reads.filter((r) => r.at - r.sent > 30).length).toBeGreaterThanOrEqual(3);
    expect(reads.filter((r) => r.received - r.at > 30).length).toBeGreaterThanOrEqual(3);
  });

  it("makes a change at a random instant inside the latency", async () => {
    const guild = discord.state.createGuild({ name: "mutations" });
    const channel = discord.state.guildChannels(guild.id)[0]!;
    const offsets: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const response = await fetch(`${discord.apiBase}/channels/${channel.id}/invites`, {
        method: "POST",
        headers: { Authorization: "Bot t", "Content-Type": "application/json" },
        body: JSON.stringify({ unique: true }),
      });
      const ended = Date.now();
      const { created_at } = (await response.json()) as { created_at: string };
      const offset = Date.parse(created_at) - started;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(ended - started);
      offsets.push(offset);
    }
    expect(offsets.filter((o) => o > 10).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(20);
  });

  it("is set per guild through the control API; [0, 0] turns it off", async () => {
    const quick = discord.state.createGuild({ name: "quick" });
    const slow = discord.state.createGuild({ name: "slow" });
    const patched = await control(discord, "PATCH", `/guilds/${quick.id}/behaviour`, { rest_latency_ms: [0, 0] });
    expect(await patched.json()).toMatchObject({ rest_latency_ms: [0, 0], gateway_latency_ms: [0, 0], member_search: "answer" });
    const time = async (guildId: string) => {
      const started = performance.now();
      expect((await get(discord, `/guilds/${guildId}/invites`)).status).toBe(200);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) {
      expect(await time(quick.id)).toBeLessThan(60);
      expect(await time(slow.id)).toBeGreaterThanOrEqual(149);
    }
    expect(await (await control(discord, "GET", `/guilds/${slow.id}/behaviour`)).json()).toMatchObject({ rest_latency_ms: [150, 250] });
  });

  it("refuses a malformed behaviour", async () => {
    const guild = discord.state.createGuild({ name: "strict" });
    for (const body of [{ rest_latency_ms: [300, 40] }, { straggler_rate: 2 }, { member_search: "maybe" }, { gateway_ms: [0, 0] }]) {
      expect((await control(discord, "PATCH", `/guilds/${guild.id}/behaviour`, body)).status).toBe(400);
    }
  });

  it("defaults to Discord's observed latencies", async () => {
    const realistic = await startFakeDiscord();
    try {
      expect(await (await control(realistic, "GET", "/behaviour")).json()).toEqual(REALISTIC);
      expect(REALISTIC).toMatchObject({ rest_latency_ms: [40, 300], gateway_latency_ms: [50, 1000], straggler_ms: [2000, 6000] });
    } finally {
      await realistic.close();
    }
  });
});

describe("gateway delivery times (on an injected clock)", () => {
  /** Plays joins `gapMs` apart in two guilds on a virtual clock; returns each guild's dispatches. */
  function play(seed: number, gapMs: number, count = 400) {
    let clock = 1_700_000_000_000;
    const state = new FakeDiscordState(
      { seed, behaviour: { gateway_latency_ms: [50, 1000], straggler_rate: 0.05, straggler_ms: [2000, 6000] } },
      () => clock,
    );
    const guilds = [state.createGuild({ name: "a" }), state.createGuild({ name: "b" })];
    const codes = guilds.map((g) => state.createInvite(g.id, { max_age: 0 }).code);
    for (let i = 0; i < count; i++) {
      clock += gapMs;
      state.joinViaInvite(codes[i % 2]!, user());
    }
    return guilds.map((g) => state.dispatches.filter((d) => d.guild_id === g.id && d.t === "GUILD_MEMBER_ADD"));
  }
  const latency = (d: Dispatch) => d.deliver_at - d.happened_at;

  it("delivers 50–1,000 ms late, now and then 2–6 s late, never before an earlier dispatch of the guild", () => {
    for (const dispatches of play(11, 150)) {
      let held = 0;
      for (const [i, d] of dispatches.entries()) {
        expect(latency(d)).toBeGreaterThanOrEqual(50);
        const previous = dispatches[i - 1];
        if (!previous) continue;
        expect(d.deliver_at).toBeGreaterThanOrEqual(previous.deliver_at);
        if (d.deliver_at === previous.deliver_at) held++;
        // Its own draw, unless an earlier one holds it back.
        else expect((latency(d) <= 1000) || (latency(d) >= 2000 && latency(d) <= 6000)).toBe(true);
      }
      expect(held).toBeGreaterThan(0);
    }
  });

  it("lets a straggler delay everything of its guild that happens before it is delivered, and nothing of another guild", () => {
    const [a, b] = play(12, 100);
    const straggler = a!.find((d, i) => i > 0 && latency(d) >= 2000 && d.deliver_at > a![i - 1]!.deliver_at)!;
    expect(straggler).toBeDefined();
    const behind = a!.filter((d) => d.happened_at > straggler.happened_at && d.happened_at + 1000 < straggler.deliver_at);
    expect(behind.length).toBeGreaterThan(2);
    for (const d of behind) expect(d.deliver_at).toBeGreaterThanOrEqual(straggler.deliver_at);
    // Guild b's joins of the same moment are not held back by a's straggler.
    const beside = b!.filter((d) => d.happened_at > straggler.happened_at && d.happened_at + 1000 < straggler.deliver_at);
    expect(beside.some((d) => d.deliver_at < straggler.deliver_at)).toBe(true);
  });

  it("replays the same times from the same seed", () => {
    const times = (seed: number) => play(seed, 300, 40).flat().map(latency);
    expect(times(5)).toEqual(times(5));
    expect(times(5)).not.toEqual(times(6));
  });
});

describe("gateway delivery (in real time)", () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord({
      latency: { rest_latency_ms: [0, 0], gateway_latency_ms: [200, 400], straggler_rate: 0.25, straggler_ms: [700, 900] },
      seed: 3,
    });
  });
  afterAll(() => discord.close());

  /** A bot's gateway connection with a fresh session: the GUILD_MEMBER_ADDs it receives, and when. */
  async function identify() {
    const socket = new WebSocket(`${discord.origin.replace("http", "ws")}/gateway`);
    const received: Array<{ userId: string; at: number }> = [];
    await new Promise<void>((resolve) => {
      socket.on("message", (raw) => {
        const { op, t, d } = JSON.parse(String(raw)) as { op: number; t: string; d: { user?: { id: string } } };
        const identifyNow = () => socket.send(JSON.stringify({ op: 2, d: { token: "Bot t", intents: 0, properties: {} } }));
        if (op === 10) identifyNow();
        // Discord allows one IDENTIFY per 5 s per bucket: a refused one waits and tries again, as bots do.
        if (op === 9) setTimeout(identifyNow, 5_100);
        if (t === "READY") resolve();
        if (t === "GUILD_MEMBER_ADD") received.push({ userId: d.user!.id, at: Date.now() });
      });
    });
    return { received, close: () => socket.close() };
  }

  it("the websocket gateway sends each dispatch at its deliver_at, in order", async () => {
    const guild = discord.state.createGuild({ name: "gateway" });
    const { code } = discord.state.createInvite(guild.id, { max_age: 0 });
    const { received, close } = await identify();
    try {
      for (let i = 0; i < 16; i++) {
        discord.state.joinViaInvite(code, user());
        await new Promise((r) => setTimeout(r, 40));
      }
      const added = discord.state.dispatches.filter((d) => d.guild_id === guild.id && d.t === "GUILD_MEMBER_ADD");
      expect(received.length).toBeLessThan(added.length); // still in flight
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(added.length);
      expect(received.map((r) => r.userId)).toEqual(added.map((d) => (d.d.user as { id: string }).id));
      for (const [i, r] of received.entries()) {
        expect(r.at).toBeGreaterThanOrEqual(added[i]!.deliver_at - 2);
        expect(r.at).toBeLessThan(added[i]!.deliver_at + 150);
      }
    } finally {
      close();
    }
  });

  it("loses a dispatch still in flight when a new session begins (its GUILD_CREATE reflects it)", async () => {
    const guild = discord.state.createGuild({ name: "new session" });
    // Still in flight when the second session starts, which waits out the 5 s IDENTIFY window.
    discord.state.behaviours.patch(guild.id, { gateway_latency_ms: [7_000, 7_000], straggler_rate: 0 });
    const { code } = discord.state.createInvite(guild.id, { max_age: 0 });
    const [before, after] = [user(), user()];
    const first = await identify();
    discord.state.joinViaInvite(code, before);
    const second = await identify();
    discord.state.joinViaInvite(code, after);
    try {
      await control(discord, "GET", `/guilds/${guild.id}/events?wait=true`);
      await new Promise((r) => setTimeout(r, 150)); // past the last deliver_at, for the socket
      expect(second.received.map((r) => r.userId)).toEqual([after.id]);
      expect(first.received).toEqual([]);
    } finally {
      first.close();
      second.close();
    }
  });

  it("the events log shows only what has been delivered; wait=true waits for everything so far", async () => {
    const guild = discord.state.createGuild({ name: "events" });
    const { code } = discord.state.createInvite(guild.id, { max_age: 0 });
    await control(discord, "GET", `/guilds/${guild.id}/events?wait=true`);
    const joiner = user();
    discord.state.joinViaInvite(code, joiner);
    const now = (await (await control(discord, "GET", `/guilds/${guild.id}/events`)).json()) as Array<{ t: string }>;
    expect(now.map((e) => e.t)).toEqual(["INVITE_CREATE"]);

    const started = Date.now();
    const all = (await (await control(discord, "GET", `/guilds/${guild.id}/events?wait=true`)).json()) as Array<{
      t: string;
      d: { user?: { id: string }; joined_at?: string };
      happened_at: number;
      deliver_at: number;
    }>;
    const answered = Date.now();
    expect(all.map((e) => e.t)).toEqual(["INVITE_CREATE", "GUILD_MEMBER_ADD"]);
    expect(all[1]!.d.user!.id).toBe(joiner.id);
    expect(Math.abs(Date.parse(all[1]!.d.joined_at!) - all[1]!.happened_at)).toBeLessThanOrEqual(1);
    expect(answered - started).toBeGreaterThanOrEqual(all[1]!.deliver_at - started - 2);
    for (const e of all) expect(e.deliver_at).toBeLessThanOrEqual(answered);
  });
});
