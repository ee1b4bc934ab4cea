import { describe, expect, it } from "vitest";
import { guildStub, postRelay, relayEvent } from "./support/relay";

const guildId = "710000000000000001";
const body = (id: string) =>
  JSON.stringify({ id, t: "GUILD_MEMBER_REMOVE", d: { guild_id: guildId, user: { id: "720000000000000001", username: "x" } } });

describe("POST /relay/events", () => {
  it("accepts a signed event with 202 once the guild's object stored it, and a repeat with no second effect", async () => {
    const first = await postRelay(body("evt-1"));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: true, duplicate: false });
    const again = await postRelay(body("evt-1"));
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
  });

  // Offsets, not timestamps: the table is built when the file loads, the request is sent later.
  it.each([
    ["a wrong secret", { secret: "not-the-secret" }, 0],
    ["a malformed signature", { signature: "zz" }, 0],
    ["a timestamp 301 s old", {}, -301],
    ["a timestamp 301 s ahead", {}, 301],
  ])("refuses %s with 401", async (_label, options, offsetS) => {
    const response = await postRelay(body("evt-401"), { ...options, timestamp: Math.floor(Date.now() / 1000) + offsetS });
    expect(response.status).toBe(401);
  });

  it.each([
    ["not JSON", "{nope"],
    ["no id", JSON.stringify({ t: "GUILD_MEMBER_ADD", d: {} })],
    ["an unknown event type", JSON.stringify({ id: "a", t: "MESSAGE_CREATE", d: { guild_id: guildId } })],
    ["no guild id", JSON.stringify({ id: "a", t: "GUILD_MEMBER_ADD", d: { user: { id: "720000000000000001" } } })],
    ["a bad user id", JSON.stringify({ id: "a", t: "GUILD_MEMBER_ADD", d: { guild_id: guildId, user: { id: "me" } } })],
    ["negative uses", JSON.stringify({ id: "a", t: "INVITE_CREATE", d: { guild_id: guildId, code: "abc", uses: -1 } })],
  ])("answers %s with 400 and stores nothing", async (_label, raw) => {
    const response = await postRelay(raw);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBeTruthy();
    const status = await guildStub(guildId).status();
    expect(status.pendingJoins).toBe(0);
  });

  // The reproductions: each was accepted, then failed in Postgres and stalled the guild's outbox.
  it.each([
    ["uses beyond Postgres' integer", "INVITE_CREATE", { guild_id: guildId, code: "poisonUses", uses: 3_000_000_000 }, "d.uses"],
    ["max_age 1e300", "INVITE_CREATE", { guild_id: guildId, code: "poisonAge", max_age: 1e300 }, "d.max_age"],
    ["joined_at in year 0", "GUILD_MEMBER_ADD", { guild_id: guildId, user: { id: "720000000000000001" }, joined_at: "0000-01-01T00:00:00Z" }, "d.joined_at"],
    ["joined_at 'garbage 1'", "GUILD_MEMBER_ADD", { guild_id: guildId, user: { id: "720000000000000001" }, joined_at: "garbage 1" }, "d.joined_at"],
    ["joined_at in 2999", "GUILD_MEMBER_ADD", { guild_id: guildId, user: { id: "720000000000000001" }, joined_at: "2999-01-01" }, "d.joined_at"],
  ])("refuses %s with 400 naming the field, storing nothing", async (label, t, d, field) => {
    const response = await relayEvent(`poison-${label}`, t, d);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(field);
    const status = await guildStub(guildId).status();
    expect(status).toMatchObject({ pendingJoins: 0, deadLetters: 0 });
  });

  it.each([
    ["a body over 1 MiB", JSON.stringify({ id: "big", t: "GUILD_MEMBER_REMOVE", d: { guild_id: guildId, user: { id: "720000000000000001" } }, pad: "x".repeat(1024 * 1024) })],
    ["a 3 MB GUILD_CREATE", JSON.stringify({ id: "huge", t: "GUILD_CREATE", d: { id: guildId, features: Array.from({ length: 150_000 }, (_, i) => `FEATURE_${i}`) } })],
  ])("refuses %s with 413 (which the relay parks) before it reaches the guild's storage", async (_label, raw) => {
    const response = await postRelay(raw);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/body over/);
  });

  it("refuses a GUILD_CREATE with 101 features with 400: it would bloat the guild's state", async () => {
    const response = await relayEvent("features", "GUILD_CREATE", { id: guildId, features: Array.from({ length: 101 }, (_, i) => `F${i}`) });
    expect(response.status).toBe(400);
  });

  it("accepts an id as long as the relay's (session id + sequence)", async () => {
    const response = await relayEvent(`${"f".repeat(32)}:123456`, "GUILD_MEMBER_REMOVE", JSON.parse(body("x")).d);
    expect(response.status).toBe(202);
  });
});

describe("POST /relay/events with a batch", () => {
  const batchGuild = "710000000000000002";
  const join = (id: string, user: number) => ({
    id,
    t: "GUILD_MEMBER_ADD",
    d: { guild_id: batchGuild, user: { id: String(720000000000000100n + BigInt(user)) }, joined_at: new Date().toISOString() },
  });
  const batch = (events: unknown[]) => postRelay(JSON.stringify({ events }));

  it("stores every event of a batch in one answer, and the same batch again is a no-op", async () => {
    const events = [join("b-1", 1), join("b-2", 2), join("b-3", 3)];
    const first = await batch(events);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: true, events: 3, duplicates: 0 });
    expect((await guildStub(batchGuild).status()).pendingJoins).toBe(3);
    const again = await batch(events);
    expect(await again.json()).toEqual({ accepted: true, events: 3, duplicates: 3 });
    expect((await guildStub(batchGuild).status()).pendingJoins).toBe(3);
  });

  it.each([
    ["one event is invalid", [join("m-1", 11), { ...join("m-2", 12), d: { guild_id: batchGuild, user: { id: "me" } } }, join("m-3", 13)], 'events[1] (id "m-2"): GUILD_MEMBER_ADD: d.user.id'],
    ["an event is another guild's", [join("g-1", 21), { ...join("g-2", 22), d: { ...join("g-2", 22).d, guild_id: guildId } }], 'events[1] (id "g-2"): guild 710000000000000001'],
    ["it is empty", [], "events must be an array of 1-100 events"],
    ["it holds 101 events", Array.from({ length: 101 }, (_, i) => join(`x-${i}`, 100 + i)), "events must be an array of 1-100 events"],
  ])("refuses a batch where %s with 400 naming it, and stores none of it", async (_label, events, problem) => {
    const before = (await guildStub(batchGuild).status()).pendingJoins;
    const response = await batch(events);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(problem);
    expect((await guildStub(batchGuild).status()).pendingJoins).toBe(before);
    // Nothing was marked seen either: the valid events, sent again alone, are new.
    const valid = events.filter((e) => (e as { d: { user?: { id: string }; guild_id: string } }).d.user?.id !== "me" && (e as { d: { guild_id: string } }).d.guild_id === batchGuild).slice(0, 1);
    if (valid.length > 0) expect(await (await batch(valid)).json()).toMatchObject({ duplicates: 0 });
  });
});
