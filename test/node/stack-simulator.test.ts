import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guildCreateJson } from "../../simulator/objects.ts";
import { seedSimulatedGuild, type SimulatedGuild } from "../../simulator/seed.ts";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server.ts";
import type { JoinRecord } from "../../simulator/state.ts";

describe("the simulator's seeded guild and played joins", () => {
  let discord: FakeDiscord;
  let guild: SimulatedGuild;
  const play = (body: unknown) =>
    fetch(`${discord.origin}/_fake/guilds/${guild.guildId}/play`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    discord = await startFakeDiscord();
    guild = seedSimulatedGuild(discord.state);
  });
  afterAll(() => discord.close());

  it("seeds channels, a few hundred members, member invites, single-use invites and a vanity URL", () => {
    const g = discord.state.guild(guild.guildId);
    expect(g.members.size).toBe(301);
    expect(discord.state.guildChannels(g.id).length).toBeGreaterThanOrEqual(4);
    expect(g.features).toContain("VANITY_URL");
    expect(guild.singleUseInvites.map((c) => discord.state.invite(c).max_uses)).toEqual([1, 1, 1]);
    expect(guild.memberInvites.some((c) => discord.state.invite(c).uses > 0)).toBe(true);
  });

  it("seeds members who all joined before the bot, whose join time GUILD_CREATE carries", () => {
    const g = discord.state.guild(guild.guildId);
    const botJoined = discord.state.member(g.id, discord.state.botUser.id).joined_at;
    expect(guildCreateJson(discord.state, g).joined_at).toBe(botJoined);
    expect([...g.members.values()].filter((m) => Date.parse(m.joined_at) >= Date.parse(botJoined))).toEqual([]);
  });

  it("plays paced joins and bursts, records the truth and dispatches GUILD_MEMBER_ADD", async () => {
    const code = guild.memberInvites[1]!;
    const before = discord.state.invite(code).uses;
    const started = Date.now();
    const paced = (await (await play({ invite: code, count: 3, pace_ms: 100 })).json()) as { joins: JoinRecord[] };
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(paced.joins.map((j) => j.invite_code)).toEqual([code, code, code]);
    expect(discord.state.invite(code).uses).toBe(before + 3);

    const burst = (await (await play({ invite: "vanity", count: 4 })).json()) as { joins: JoinRecord[] };
    expect(new Set(burst.joins.map((j) => j.joined_at)).size).toBeLessThanOrEqual(2);
    expect(burst.joins.every((j) => j.invite_code === guild.vanityCode)).toBe(true);
    const added = discord.state.dispatches.filter((d) => d.t === "GUILD_MEMBER_ADD").map((d) => (d.d.user as { id: string }).id);
    expect(added).toEqual([...paced.joins, ...burst.joins].map((j) => j.user_id));
  });

  it("spends a single-use invite on its first join and refuses bad requests", async () => {
    const code = guild.singleUseInvites[0]!;
    expect((await play({ invite: code, count: 1 })).status).toBe(200);
    expect(discord.state.dispatches.at(-1)).toMatchObject({ t: "INVITE_DELETE", d: { code } });
    expect((await play({ invite: code, count: 1 })).status).toBe(404);
    expect((await play({ invite: "vanity", count: 0 })).status).toBe(400);
    expect((await play({ invite: "vanity", count: 1, pace_ms: -1 })).status).toBe(400);
  });
});
