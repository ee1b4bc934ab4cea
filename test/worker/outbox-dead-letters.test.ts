import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OutboxItem } from "../../worker/guild-invites/outbox";
import { GuildStorage } from "../../worker/guild-invites/storage";
import { allJoinsLanded, knownGuild } from "./support/guild";
import { databaseOutage, guildHealth, guildStub } from "./support/relay";

/** Puts items straight into the guild's outbox, as if an older Worker had accepted them unvalidated. */
const inject = (guildId: string, items: OutboxItem[]) =>
  runInDurableObject(guildStub(guildId), (_instance, state) => {
    const store = new GuildStorage(state.storage.sql);
    for (const item of items) store.enqueue(item);
  });

const deadLetters = (guildId: string) =>
  runInDurableObject(guildStub(guildId), (_instance, state) =>
    state.storage.sql.exec<{ json: string; reason: string }>("select json, reason from dead_letters order by seq").toArray(),
  );

/** The three poison rows, as they sat in the outbox. */
function poison(guildId: string): OutboxItem[] {
  const now = Date.now();
  const invite = { kind: "invite" as const, guildId, channelId: null, inviterId: null, uses: 0, maxUses: 0, maxAge: 0, createdAt: now, expiresAt: null, deletedAt: null };
  return [
    { ...invite, code: "poisonUses", uses: 3_000_000_000 },
    { ...invite, code: "poisonAge", maxAge: 1e300, expiresAt: now + 1e303 },
    {
      kind: "join",
      guildId,
      userId: "770000000000000001",
      joinedAt: Date.parse("0000-01-01T00:00:00Z"),
      didRejoin: false,
      method: "unresolved",
      inviteCode: null,
      invitationId: null,
      candidates: [],
      groupId: null,
    },
  ];
}

describe("outbox dead letters", () => {
  it("sets aside rows Postgres refuses for good, with their reasons, and the guild's later joins still land", async () => {
    const guild = await knownGuild("Poisoned outbox", 771_000_000_000_000_000n);
    await inject(guild.guildId, poison(guild.guildId));
    for (let i = 0; i < 4; i++) await guild.join();

    const { rows, status } = await allJoinsLanded(guild.guildId, guild.joined);
    expect(rows.joinUsers).toEqual([...guild.joined].sort());
    expect(status.deadLetters).toBe(3);
    const letters = await deadLetters(guild.guildId);
    expect(letters.map((l) => (JSON.parse(l.json) as OutboxItem).kind)).toEqual(["invite", "invite", "join"]);
    expect(letters[0]!.reason).toMatch(/^SQLSTATE 22003/); // integer out of range
    expect(letters[1]!.reason).toMatch(/Invalid time value/);
    expect(letters[2]!.reason).toMatch(/^SQLSTATE 22/); // year 0 is no Postgres date
    // Health says so.
    const health = await guildHealth(guild.guildId);
    expect(await health.json()).toMatchObject({ ok: false, deadLetters: 3, outboxDepth: 0 });
  });

  it("keeps rows through a database outage: a connection failure is retried, never dead-lettered", async () => {
    const guild = await knownGuild("Outage, not poison", 772_000_000_000_000_000n);
    await databaseOutage(true);
    try {
      await guild.join();
      await guild.join();
      // The object settles the joins and tries to flush: the rows must wait in the outbox.
      await new Promise((r) => setTimeout(r, 2_000));
      const status = await guildStub(guild.guildId).status();
      expect(status.outboxDepth).toBeGreaterThan(0);
      expect(status.deadLetters).toBe(0);
    } finally {
      await databaseOutage(false);
    }
    const { status } = await allJoinsLanded(guild.guildId, guild.joined, 90_000);
    expect(status.deadLetters).toBe(0);
  }, 120_000);
});
