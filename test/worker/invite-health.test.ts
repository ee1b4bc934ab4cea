import { describe, expect, it } from "vitest";
import { exactChecks, inviteJoins, jobRuns } from "../../schema";
import { withDb } from "./support/db";
import { knownGuild, allJoinsLanded } from "./support/guild";
import { replyText, runInviteFinal } from "./support/interactions";
import { fakeDiscord } from "./support/fake-discord";
import { eventually, guildStub } from "./support/relay";

describe("/invite health", () => {
  it("shows the figures the object and Postgres hold, with a verdict and what to do", async () => {
    const guild = await knownGuild("Health", 760_000_000_000_000_001n);
    await guild.join();
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    const status = await guildStub(guild.guildId).status();
    expect(status.lastEventAt).not.toBeNull();

    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo);
    await withDb(async (db) => {
      await db.insert(inviteJoins).values([
        { guildId: guild.guildId, userId: "760000000000000101", joinedAt: at(3_600_000), method: "unresolved", candidates: ["a", "b"] },
        { guildId: guild.guildId, userId: "760000000000000102", joinedAt: at(3_600_000), method: "unresolved", candidates: [] },
        // Outside the 7 days.
        { guildId: guild.guildId, userId: "760000000000000103", joinedAt: at(9 * 86_400_000), method: "unresolved", candidates: [] },
      ]);
      await db.insert(jobRuns).values([
        { guildId: guild.guildId, job: "reconcile", outcome: "ok", figures: { drift: 2, rateLimited: 1 }, ranAt: at(3_600_000) },
        { guildId: guild.guildId, job: "reconcile", outcome: "ok", figures: { drift: 1, rateLimited: 0, edgeRefused: 2 }, ranAt: at(600_000) },
        // More than a day ago: not counted.
        { guildId: guild.guildId, job: "reconcile", outcome: "ok", figures: { drift: 7, rateLimited: 9 }, ranAt: at(2 * 86_400_000) },
        { guildId: guild.guildId, job: "confirm", outcome: "ok", figures: { search: "answered", rateLimited: 2 }, ranAt: at(60_000) },
        // A briefing Discord refused, and a reconcile the Queue gave up on.
        { guildId: guild.guildId, job: "briefing", outcome: "failed", figures: { result: "failed", posted: 0 }, ranAt: at(120_000) },
        { guildId: guild.guildId, job: "reconcile", outcome: "dead_lettered", figures: { firedAt: 1 }, ranAt: at(30_000) },
      ]);
      await db.insert(exactChecks).values([
        { guildId: guild.guildId, userId: guild.joined[0]!, joinedAt: at(100_000), diffCode: guild.code, exactCode: guild.code, outcome: "agreed" },
        { guildId: guild.guildId, userId: guild.joined[1]!, joinedAt: at(100_000), diffCode: guild.code, exactCode: "other", outcome: "disagreed" },
      ]);
    });

    const { body } = await runInviteFinal("health", [], { guildId: guild.guildId, channelId: "100000000000000009" });
    const text = replyText(body.data);
    expect(text).toContain("❌ Health: Needs action");
    expect(text).toMatch(/✅ \*\*Relay:\*\* last event \d+ s ago/);
    expect(text).toMatch(/✅ \*\*Invite cache:\*\* fetched \d+ (s|min) ago, last refetch ok/);
    expect(text).toContain("✅ **Outbox:** 0 rows waiting, 0 joins pending");
    expect(text).toContain("✅ **Rate limits:** 3 hits in the last day");
    expect(text).toContain("⚠️ **Discord's edge:** refused the bot (error 1015) 2 times in the last day; the bot backed off and goes on");
    // The guild's own invite has no source: its two joins are unlabelled.
    expect(text).toContain("⚠️ **Unattributed (7 days):** 4 of 4 (100%): unlabelled invites 2, moved no invite 1, ambiguous 1");
    expect(text).toContain("❌ **Member search:** answers; the diff agreed on 1 of 2 (50%)");
    expect(text).toContain("exact confirmation disagreed");
    expect(text).toContain("❌ **Cron jobs (1 day):** 1 dead-lettered after their retries, 1 failed run: briefing, reconcile");
    expect(text).toContain("⚠️ **Drift (1 day):** 3 invites repaired by reconcile");
  });

  it("counts the 429s the guild's object met on its own refetches", async () => {
    const guild = await knownGuild("Health 429", 760_000_000_000_000_501n);
    await fakeDiscord.rateLimit({ method: "GET", path_prefix: `/guilds/${guild.guildId}/invites`, count: 2, retry_after: 0.2 });
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    const hits = await eventually(async () => {
      const { rateLimitHits } = await guildStub(guild.guildId).status();
      return rateLimitHits >= 2 ? rateLimitHits : undefined;
    }, 15_000, "the object's 429s");
    const { body } = await runInviteFinal("health", [], { guildId: guild.guildId, channelId: "100000000000000009" });
    expect(replyText(body.data)).toContain(`**Rate limits:** ${hits} hits in the last day`);
  });

  // Last in the file: the object's isolate then waits out the edge's backoff for a few seconds.
  it("names Discord's edge refusing the object's refetch (error 1015), as an outage of the whole bot", async () => {
    const guild = await knownGuild("Health 1015", 760_000_000_000_000_901n);
    await fakeDiscord.edgeRefusal({ mode: "html_1015", seconds: 2, path_prefix: `/guilds/${guild.guildId}/invites` });
    await guild.join();
    await eventually(async () => ((await guildStub(guild.guildId).status()).edge.refusals > 0 ? true : undefined), 15_000, "the object's refusal");
    const { body } = await runInviteFinal("health", [], { guildId: guild.guildId, channelId: "100000000000000009" });
    expect(replyText(body.data)).toMatch(/\*\*Discord's edge:\*\* (refusing|refused) the bot \(error 1015\)/);
    expect((await guildStub(guild.guildId).status()).rateLimitHits).toBe(0);
  });
});
