import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runRelayFuzz } from "../../bench/lib/relay-fuzz";
import { fakeDiscord } from "./support/fake-discord";
import { allJoinsLanded, knownGuild } from "./support/guild";
import { guildStub, relayEvent, sendRelay } from "./support/relay";

const sorted = (ids: string[]) => [...ids].sort();

describe("relay fuzz: hostile events against a live guild", () => {
  it("refuses every one with a 4xx, writes nothing for them, and a join after each still lands", async () => {
    const guild = await knownGuild("Relay fuzz", 760_000_000_000_000_000n);
    // The edge is under test, not attribution: Discord answers and delivers at once here.
    await fakeDiscord.behaviour(guild.guildId, { rest_latency_ms: [0, 0], gateway_latency_ms: [0, 0], straggler_rate: 0 });
    const report = await runRelayFuzz(sendRelay, { secret: env.RELAY_SECRET, guildId: guild.guildId, afterEach: async () => void (await guild.join()) });

    expect(report.unexpected).toEqual([]);
    expect(report.fiveHundreds).toBe(0);
    expect(report.sent).toBeGreaterThan(200);
    expect(report.byStatus).toMatchObject({ "413": 2 });
    expect(report.byStatus["401"]).toBeGreaterThanOrEqual(8);

    const { rows, status } = await allJoinsLanded(guild.guildId, guild.joined, 60_000);
    // Only the valid joins left rows: no hostile invite, no departure, no stray member.
    expect(rows.joinUsers).toEqual(sorted(guild.joined));
    expect(sorted(rows.members.map((m) => m.userId))).toEqual(sorted(guild.joined));
    expect(rows.members.every((m) => m.leftAt === null)).toBe(true);
    expect(rows.inviteCodes).toEqual([guild.code]);
    expect(status.deadLetters).toBe(0);
  }, 180_000);

  it("answers a replayed event id with 202 and no second effect", async () => {
    const guild = await knownGuild("Relay replay", 761_000_000_000_000_000n);
    const join = (await guild.join()).find((e) => e.t === "GUILD_MEMBER_ADD")!;
    await allJoinsLanded(guild.guildId, guild.joined);
    const replay = await relayEvent(join.id, join.t, join.d);
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ accepted: true, duplicate: true });
    const { rows } = await allJoinsLanded(guild.guildId, guild.joined);
    expect(rows.joinUsers).toEqual(guild.joined);
    expect((await guildStub(guild.guildId).status()).pendingJoins).toBe(0);
  });
});
