import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { emptyTimeline } from "../../worker/attribution";
import { GuildStorage } from "../../worker/guild-invites/storage";
import { fakeDiscord } from "./support/fake-discord";
import { knownGuild } from "./support/guild";
import { guildStub } from "./support/relay";

/** Freezes Postgres at the WebSocket proxy: connections stay open, no byte passes (a database a raid keeps busy). */
/** A member event with no name or avatar (the relay passes Discord's member object; names are beside the point here). */
const NO_PROFILE = { username: null, globalName: null, nick: null, avatar: null, discriminator: null };
const freezePostgres = (on: boolean) => fetch(`http://${inject("wsProxy")}/_control/outage?freeze=${on ? 1 : 0}`, { method: "POST" });

const member = (i: number) => ({ id: String(761_000_000_000_000_000n + BigInt(i)), username: `raider${i}` });

describe("a raid on one guild's object", () => {
  afterEach(() => freezePostgres(false));

  it("keeps looking at the invites, at least once a second, while Postgres is slow to take the rows", async () => {
    const guild = await knownGuild("Raid", 762_000_000_000_000_000n);
    const raidMs = 4_000;
    const started = Date.now();
    await freezePostgres(true);
    // A steady stream, each join delivered within a few tens of ms (Discord's REST latency stays as it is).
    await fakeDiscord.behaviour(guild.guildId, { gateway_latency_ms: [20, 60], straggler_rate: 0 });
    for (let i = 0; Date.now() - started < raidMs; i++) {
      await fakeDiscord.join(guild.code, member(i));
      await guild.gateway.forwardDelivered();
    }
    const ended = Date.now();
    const looks = (await fakeDiscord.requests(`/guilds/${guild.guildId}/invites`)).filter(
      (r) => r.method === "GET" && Date.parse(r.time) >= started && Date.parse(r.time) <= ended,
    );
    expect(looks.length).toBeGreaterThanOrEqual(raidMs / 1_000);
  });

  it("retains 20,000 joins, none failing on the size of a stored value", async () => {
    const guildId = "763000000000000000";
    const stub = guildStub(guildId);
    const [retained, sample] = [19_950, 50];
    // Discord does not know this guild: every join stays pending, none is written to Postgres.
    await runInDurableObject(stub, (_instance, state) => {
      const store = new GuildStorage(state.storage.sql);
      store.updateState({ guildId, retryAt: Date.now() + 600_000 });
      const now = Date.now();
      const joins = Array.from({ length: retained }, (_, i) => ({ eventId: `raid:${i}`, userId: member(i).id, joinedAt: now - retained + i, receivedAt: now, seq: i }));
      store.timeline.save(emptyTimeline(), { ...emptyTimeline(), joins, nextSeq: retained, watermark: now - 1 });
    });
    // Events on top of them, each as the relay delivers it.
    const started = Date.now();
    for (let i = retained; i < retained + sample; i++) {
      await stub.acceptBatch([{ id: `raid:${i}`, t: "GUILD_MEMBER_ADD", guildId, userId: member(i).id, joinedAt: Date.now(), didRejoin: false, bot: false, roles: [], profile: NO_PROFILE }]);
    }
    console.log(`20,000 joins retained: ${((Date.now() - started) / sample).toFixed(2)} ms per join event (round trip included)`);
    await stub.acceptBatch([{ id: "raid:left", t: "GUILD_MEMBER_REMOVE", guildId, userId: member(0).id }]);
    // A decision loads the whole window and writes what changed.
    await runInDurableObject(stub, (instance) => instance["decideNow"](guildId));
    const status = await stub.status();
    expect(status.pendingJoins).toBe(retained + sample);
  }, 60_000);
});
