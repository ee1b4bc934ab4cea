/**
 * `npm start` keeps its simulated guild across restarts of the same data
 * directory: the guild is saved and restored whole (members, invites and their
 * uses, the vanity count, the truth log), so the bot meets the guild it knows.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGuildSnapshot, restoreGuild, snapshotGuild, writeGuildSnapshot } from "../../simulator/guild-snapshot";
import { playJoins } from "../../simulator/play";
import { seedSimulatedGuild } from "../../simulator/seed";
import { startFakeDiscord } from "../../simulator/server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-guild-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the simulated guild across a restart", () => {
  it("is restored as it was, answers the bot's REST calls, and takes new joins", async () => {
    const file = path.join(dir, "simulator-guild.json");
    const first = await startFakeDiscord({ latency: false });
    const seeded = seedSimulatedGuild(first.state);
    const made = first.state.createInvite(seeded.guildId, { inviter_id: seeded.adminId, max_age: 0 });
    await playJoins(first.state, seeded.guildId, { invite: made.code, count: 3 });
    await playJoins(first.state, seeded.guildId, { invite: "vanity", count: 2 });
    await playJoins(first.state, seeded.guildId, { invite: seeded.singleUseInvites[0]!, count: 1 });
    writeGuildSnapshot(file, snapshotGuild(first.state, seeded));
    const before = { guild: first.state.guild(seeded.guildId), invites: first.state.guildInvites(seeded.guildId), joins: first.state.joins };
    await first.close();

    const second = await startFakeDiscord({ latency: false });
    const saved = readGuildSnapshot(file);
    if (saved.kind !== "saved") throw new Error(`not restorable: ${JSON.stringify(saved)}`);
    const dispatches = second.state.dispatches.length;
    expect(restoreGuild(second.state, saved.snapshot)).toEqual(seeded);
    expect(second.state.dispatches.length).toBe(dispatches);
    const guild = second.state.guild(seeded.guildId);
    expect(guild).toEqual(before.guild);
    expect(second.state.guildInvites(seeded.guildId)).toEqual(before.invites);
    expect(second.state.joins).toEqual(before.joins);

    const bot = { headers: { Authorization: "Bot simulator-bot-token" } };
    const invites = (await (await fetch(`${second.apiBase}/guilds/${seeded.guildId}/invites`, bot)).json()) as Array<{ code: string; uses: number }>;
    expect(invites.find((i) => i.code === made.code)?.uses).toBe(3);
    expect(invites.some((i) => i.code === seeded.singleUseInvites[0])).toBe(false);
    const vanity = (await (await fetch(`${second.apiBase}/guilds/${seeded.guildId}/vanity-url`, bot)).json()) as { uses: number };
    expect(vanity.uses).toBe(57 + 2);

    const later = await playJoins(second.state, seeded.guildId, { invite: made.code, count: 2 });
    const names = later.map((j) => second.state.users.get(j.user_id)!.username);
    const earlier = new Set(before.joins.map((j) => second.state.users.get(j.user_id)!.username));
    expect(names.filter((n) => earlier.has(n))).toEqual([]);
    expect(guild.members.size).toBe(301 + 6 + 2);
    await second.close();
  });

  it.each([
    ["missing", undefined, { kind: "none" }],
    ["not JSON", "{", { kind: "unreadable", reason: expect.stringMatching(/^not JSON/) }],
    ["another shape", '{"version": 2}', { kind: "unreadable", reason: expect.stringMatching(/^not a saved guild: /) }],
  ])("a %s file reads as %j", (name, text, expected) => {
    const file = path.join(dir, `${name}.json`);
    if (text !== undefined) fs.writeFileSync(file, text);
    expect(readGuildSnapshot(file)).toEqual(expected);
  });
});
