import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../relay/log.ts";
import { startRelay, type Relay } from "../../relay/relay.ts";
import { startFakeGateway, type FakeGateway } from "./relay/fake-gateway.ts";
import { expectDeliveredInOrder, memberAdd, tempSpool, testConfig } from "./relay/harness.ts";
import { startTarget, waitFor, type FakeTarget } from "./relay/target.ts";

const GUILDS = ["111", "222", "333"];

describe("relay against a fake gateway", () => {
  let gateway: FakeGateway;
  let target: FakeTarget;
  let relay: Relay;
  let user = 1000;

  const burst = (n: number) => {
    for (let i = 0; i < n; i++) gateway.dispatch("GUILD_MEMBER_ADD", memberAdd(GUILDS[i % GUILDS.length]!, user++));
  };
  const allDelivered = () =>
    waitFor("every event at the target", () => target.accepted.length === gateway.dispatched.length && relay.spool.depth() === 0);

  beforeEach(async () => {
    gateway = await startFakeGateway({ heartbeatIntervalMs: 100, guilds: GUILDS });
    target = await startTarget("test-relay-secret-0123456789");
    relay = await startRelay(testConfig(gateway, target, tempSpool()), createLogger("error", () => {}));
  });
  afterEach(async () => {
    await relay.stop();
    await gateway.close();
    await target.close();
  });

  it("forwards the five event types, trims GUILD_CREATE, skips the rest, and heartbeats", async () => {
    gateway.dispatch("INVITE_CREATE", { guild_id: "111", code: "abc", uses: 0, max_uses: 0 });
    gateway.dispatch("CHANNEL_CREATE", { guild_id: "111", id: "5", type: 0 });
    gateway.dispatch("GUILD_MEMBER_ADD", memberAdd("111", 1));
    gateway.dispatch("GUILD_MEMBER_REMOVE", { guild_id: "111", user: { id: "1" } });
    gateway.dispatch("INVITE_DELETE", { guild_id: "111", channel_id: "9", code: "abc" });
    await waitFor("forwarded events", () => target.accepted.length === 7);
    expect(target.accepted.map((e) => e.t)).toEqual(expect.arrayContaining(["INVITE_CREATE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE", "INVITE_DELETE"]));
    expect(target.accepted.find((e) => e.t === "CHANNEL_CREATE")).toBeUndefined();
    // Guilds are forwarded in parallel: find this guild's GUILD_CREATE, not the first one.
    expect(target.accepted.find((e) => e.t === "GUILD_CREATE" && (e.d as { id: string }).id === "111")?.d).toEqual({
      id: "111",
      features: ["VANITY_URL", "COMMUNITY"],
      vanity_url_code: "v111",
      joined_at: expect.any(String),
    });
    await waitFor("two heartbeats", () => gateway.stats.heartbeats >= 2);
    const health = (await (await fetch(`http://127.0.0.1:${relay.healthPort}/healthz`)).json()) as { last_forward_at: unknown };
    expect(health).toMatchObject({ ok: true, gateway: { connected: true }, spool: { depth: 0, parked: 0 } });
    expect(health.last_forward_at).toEqual(expect.any(String));
  });

  it.each([
    ["RECONNECT (op 7)", () => gateway.reconnect()],
    ["a dropped connection", () => gateway.dropConnection()],
    ["a resumable INVALID_SESSION", () => gateway.invalidateSession(true)],
  ])("resumes after %s and replays what was missed, once each, in order", async (_name, disrupt) => {
    burst(30);
    disrupt();
    burst(30); // sent while the relay is away: kept by the session, replayed on RESUME
    await waitFor("a resume", () => gateway.stats.resumes >= 1 && gateway.connected());
    burst(30);
    await allDelivered();
    expect(gateway.stats.identifies).toBe(1);
    expectDeliveredInOrder(gateway, target);
  });

  it("identifies again after a non-resumable INVALID_SESSION and forwards the new GUILD_CREATEs", async () => {
    burst(10);
    await allDelivered();
    gateway.invalidateSession(false);
    await waitFor("a second identify", () => gateway.stats.identifies === 2 && gateway.connected());
    burst(10);
    await allDelivered();
    expect(target.accepted.filter((e) => e.t === "GUILD_CREATE")).toHaveLength(2 * GUILDS.length);
    expectDeliveredInOrder(gateway, target);
  });

  it("holds events through a target outage and delivers them in order afterwards", async () => {
    target.refuseWith = { status: 503 };
    burst(60);
    await waitFor("the spool to fill", () => relay.spool.depth() === 60 + GUILDS.length || target.accepted.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refused = target.requests;
    target.refuseWith = null;
    burst(30);
    await allDelivered();
    expect(refused).toBeGreaterThan(GUILDS.length); // it kept retrying
    expectDeliveredInOrder(gateway, target);
  });

  it("parks an event the Worker rejects with a 4xx and moves on", async () => {
    await allDelivered();
    target.refuseWith = { status: 400 };
    gateway.dispatch("GUILD_MEMBER_ADD", memberAdd("111", 1));
    await waitFor("a parked event", () => relay.spool.parkedCount() === 1);
    const requests = target.requests;
    target.refuseWith = null;
    gateway.dispatch("GUILD_MEMBER_ADD", memberAdd("111", 2));
    await waitFor("the next event", () => target.accepted.length === GUILDS.length + 1);
    expect(target.requests).toBe(requests + 1);
    expect(relay.spool.depth()).toBe(0);
  });

  it("waits as long as a 429's Retry-After says", async () => {
    await allDelivered();
    target.refuseWith = { status: 429, headers: { "retry-after": "1" } };
    const started = Date.now();
    gateway.dispatch("GUILD_MEMBER_ADD", memberAdd("111", 1));
    await waitFor("the 429", () => target.requests === GUILDS.length + 1);
    target.refuseWith = null;
    await allDelivered();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(target.requests).toBe(GUILDS.length + 2);
  });
});
