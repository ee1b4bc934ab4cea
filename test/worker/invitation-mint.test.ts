import { describe, expect, it } from "vitest";
import { mintWave } from "../../worker/invitations/mint";
import { INVITATION_CODE } from "../../worker/invitations/code";
import { withDb } from "./support/db";
import { guildWithMembers, invitationsOf, wavesOf } from "./support/invitations";
import { opt, replyText, runInviteFinal } from "./support/interactions";

describe("/invite mint", () => {
  it("a dry run shows the eligible count and a sample, and writes nothing", async () => {
    const { guild, ctx } = await guildWithMembers("Dry run", [{}, {}, {}, { bot: true }, { leftDaysAgo: 1 }]);
    const { body } = await runInviteFinal("mint", [opt.int("count", 2), opt.str("policy", "unspent"), opt.bool("dry_run", true)], ctx);
    const text = replyText(body.data);
    expect(text).toMatch(/Dry run.*nothing was written.*3 eligible.*would mint 2 invitations/s);
    expect(text).toMatch(/Sample of recipients: <@\d+>, <@\d+>\./);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    expect(await wavesOf(guild.id)).toEqual([]);
    expect(await invitationsOf(guild.id)).toEqual([]);
  });

  it("mints n invitations to distinct eligible members, never bots or departed members, with the seed on the wave", async () => {
    const { guild, ctx, members } = await guildWithMembers("Mint", [{}, {}, {}, {}, {}, { bot: true }, { leftDaysAgo: 2 }]);
    const { body } = await runInviteFinal("mint", [opt.int("count", 3), opt.str("policy", "unspent"), opt.int("expires_days", 7)], ctx);
    expect(replyText(body.data)).toMatch(/Wave #\d+ minted 3 invitations under \*\*unspent\*\*.*5 were eligible/s);
    const [wave] = await wavesOf(guild.id);
    expect(wave).toMatchObject({ requested: 3, minted: 3, eligible: 5, policy: { name: "unspent", minDays: 0 }, createdBy: "200000000000000001" });
    expect(wave!.seed).toMatch(/^[0-9a-f]{32}$/);
    const rows = await invitationsOf(guild.id);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.inviterId)).size).toBe(3);
    for (const row of rows) {
      expect(members.slice(0, 5)).toContain(row.inviterId);
      expect(row.code).toMatch(INVITATION_CODE);
      expect(row.waveId).toBe(wave!.id);
      expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBeGreaterThan(6.9 * 86_400_000);
    }
  });

  it("mints for every eligible member when n is larger, and says so", async () => {
    const { guild, ctx } = await guildWithMembers("Too many", [{ daysAgo: 40 }, { daysAgo: 40 }, { daysAgo: 2 }]);
    const { body } = await runInviteFinal("mint", [opt.int("count", 10), opt.str("policy", "never"), opt.int("min_days", 30)], ctx);
    expect(replyText(body.data)).toMatch(/asked for 10, but only 2 members were eligible, so all of them got one/);
    expect(await invitationsOf(guild.id)).toHaveLength(2);
    // Now that both hold one, `never` leaves nobody.
    const again = await runInviteFinal("mint", [opt.int("count", 10), opt.str("policy", "never"), opt.int("min_days", 30)], ctx);
    expect(replyText(again.body.data)).toMatch(/Nobody is eligible under \*\*never\*\*.*nothing was minted/);
    expect(await wavesOf(guild.id)).toHaveLength(1);
  });

  it("two overlapping mints never give one member two unspent invitations", async () => {
    const { guild } = await guildWithMembers(
      "Overlap",
      Array.from({ length: 40 }, () => ({})),
    );
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        withDb((db) =>
          mintWave(db, { guildId: guild.id, policy: { name: "unspent", minDays: 0 }, count: 25, expiresDays: 0, createdBy: null, dryRun: false, now: new Date() }),
        ),
      ),
    );
    const rows = await invitationsOf(guild.id);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.inviterId)).size).toBe(40);
    expect(results.map((r) => r.recipients.length).reduce((a, b) => a + b)).toBe(40);
    // 25 + 15, then nobody is left: the last two mints find no one and record no wave.
    expect(results.map((r) => r.recipients.length).sort((a, b) => b - a)).toEqual([25, 15, 0, 0]);
    expect((await wavesOf(guild.id)).map((w) => w.minted).sort((a, b) => b - a)).toEqual([25, 15]);
  });

  it.each([
    ["a count of 0", [opt.int("count", 0), opt.str("policy", "unspent")], /`count` must be a whole number from 1 to 10000/],
    ["an unknown policy", [opt.int("count", 1), opt.str("policy", "everyone")], /`policy` must be one of unspent, never, spent_since, rewarded/],
    ["a negative min_days", [opt.int("count", 1), opt.str("policy", "never"), opt.int("min_days", -1)], /`min_days` must be a whole number from 0 to 3650/],
    ["a non-boolean dry_run", [opt.int("count", 1), opt.str("policy", "never"), opt.str("dry_run", "yes")], /`dry_run` must be true or false/],
  ])("refuses %s and writes nothing", async (_label, options, message) => {
    const { guild, ctx } = await guildWithMembers("Bad options", [{}]);
    const { body } = await runInviteFinal("mint", options, ctx);
    expect(replyText(body.data)).toMatch(message);
    expect(await wavesOf(guild.id)).toEqual([]);
  });

  it("is for admins only", async () => {
    const { guild, ctx } = await guildWithMembers("Members only", [{}]);
    const { body } = await runInviteFinal("mint", [opt.int("count", 1), opt.str("policy", "unspent")], { ...ctx, permissions: "0" });
    expect(replyText(body.data)).toMatch(/Manage Server/);
    expect(await wavesOf(guild.id)).toEqual([]);
  });
});
