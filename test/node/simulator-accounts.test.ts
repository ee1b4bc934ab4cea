/**
 * Simulated users have account ages like real ones (months or years, a few
 * days for some), read from their snowflake ids as the bot reads them, and
 * replayed per seed: wherever the simulator makes a user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountAgeDays, YOUNG_SHARE } from "../../simulator/accounts";
import { playJoins } from "../../simulator/play";
import { seedSimulatedGuild } from "../../simulator/seed";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import { FakeDiscordState, type JoinRecord } from "../../simulator/state";

const DAY_MS = 86_400_000;
const snowflakeTime = (id: string) => Number((BigInt(id) >> 22n) + 1_420_070_400_000n);
/** An account's age when it joined, in days: what the bot's young_account check reads. */
const ageAtJoin = (j: { user_id: string; joined_at: string }) => (Date.parse(j.joined_at) - snowflakeTime(j.user_id)) / DAY_MS;

describe("accountAgeDays", () => {
  it.each([
    [0, 1],
    [YOUNG_SHARE / 2, 3.5],
    [YOUNG_SHARE, 60],
    [YOUNG_SHARE + (1 - YOUNG_SHARE) / 2, Math.sqrt(60 * 6 * 365)],
    [0.999_999_999, 6 * 365],
  ])("draw %d → %d days", (draw, days) => {
    expect(accountAgeDays(draw)).toBeCloseTo(days, 3);
  });
});

describe("simulated users' account ages", () => {
  const played = async (seed: number, count: number) => {
    const clock = Date.UTC(2026, 5, 1);
    const state = new FakeDiscordState({ seed, behaviour: { gateway_latency_ms: [0, 0], straggler_rate: 0 } }, () => clock);
    const guild = state.createGuild({ name: "ages", vanity_url_code: `ages${seed}` });
    return playJoins(state, guild.id, { invite: "vanity", count });
  };

  it("are mostly months or years, a few days for some, like a real server's joiners", async () => {
    const ages = (await played(1, 500)).map(ageAtJoin);
    const young = ages.filter((days) => days < 7).length / ages.length;
    expect(young).toBeGreaterThan(0.03);
    expect(young).toBeLessThan(0.15);
    expect(ages.filter((days) => days >= 60).length / ages.length).toBeGreaterThan(0.85);
    expect(Math.max(...ages)).toBeGreaterThan(365);
  });

  it("replay per seed", async () => {
    const [a, b, other] = [await played(7, 30), await played(7, 30), await played(8, 30)];
    expect(a.map(ageAtJoin)).toEqual(b.map(ageAtJoin));
    expect(a.map(ageAtJoin)).not.toEqual(other.map(ageAtJoin));
  });

  it("hold for the seeded guild's members", () => {
    const state = new FakeDiscordState({ seed: 3 });
    const guild = seedSimulatedGuild(state);
    const members = [...state.guild(guild.guildId).members.values()].filter((m) => m.user_id !== guild.adminId);
    const ages = members.map((m) => ageAtJoin(m));
    expect(ages.filter((days) => days >= 60).length / ages.length).toBeGreaterThan(0.85);
    expect(ages.some((days) => days < 7)).toBe(true);
  });

  describe("through the control API", () => {
    let discord: FakeDiscord;
    beforeAll(async () => {
      discord = await startFakeDiscord({ latency: false, seed: 5 });
    });
    afterAll(() => discord.close());
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${discord.origin}/_fake${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { id: string; join: JoinRecord; joins: JoinRecord[]; message: string } };
    };

    it("mints an aged user for a join without one, and names a bad one", async () => {
      const guild = (await post("/guilds", { name: "control ages", vanity_url_code: "ctl-ages" })).body;
      const joins = await Promise.all(Array.from({ length: 40 }, () => post(`/guilds/${guild.id}/vanity/join`, {})));
      expect(joins.every((j) => j.status === 200)).toBe(true);
      const ages = joins.map((j) => ageAtJoin(j.body.join));
      expect(ages.filter((days) => days >= 60).length).toBeGreaterThan(30);
      expect(new Set(joins.map((j) => j.body.join.user_id)).size).toBe(40);
      const bad = await post(`/guilds/${guild.id}/vanity/join`, { user: { id: "1" } });
      expect(bad).toMatchObject({ status: 400, body: { message: "body.user must be {id, username}, or left out for a new user" } });
    });
  });
});
