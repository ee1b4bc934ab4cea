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

  it("accepts an id as long as the relay's (session id + sequence)", async () => {
    const response = await relayEvent(`${"f".repeat(32)}:123456`, "GUILD_MEMBER_REMOVE", JSON.parse(body("x")).d);
    expect(response.status).toBe(202);
  });
});
