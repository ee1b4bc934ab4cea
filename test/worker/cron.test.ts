import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { invites } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, runInvite } from "./support/interactions";
import { eventually, guildStub, relayEvent } from "./support/relay";

// Reconcile runs every guild the shared test database knows: in the full suite that is hundreds.
describe("the cron trigger", { timeout: 120_000 }, () => {
  it("refetches every known guild's invites, catching what the relay missed", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Cron" });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [] });
    await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed");
    await runInvite("create", [opt.str("source", "Known")], ctx);
    // Made in Discord while the relay was down: no INVITE_CREATE ever reaches the Worker.
    const missed = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, max_age: 0 });
    await fakeDiscord.join(missed.code, { id: "740000000000000001", username: "quiet" });

    const execution = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, execution);
    await waitOnExecutionContext(execution);

    const row = await eventually(async () => {
      const [found] = await withDb((db) => db.select().from(invites).where(eq(invites.code, missed.code)));
      return found && found.uses === 1 ? found : undefined;
    }, 10_000, "the missed invite in the invites table");
    expect(row).toMatchObject({ guildId: guild.id, uses: 1, sourceId: null, deletedAt: null });
  });
});
