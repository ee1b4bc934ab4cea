import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGateway, type FakeGateway } from "./relay/fake-gateway.ts";
import { expectDeliveredInOrder, memberAdd, relayEnv, tempSpool } from "./relay/harness.ts";
import { startRelayProcess } from "./relay/process.ts";
import { startTarget, waitFor, type FakeTarget } from "./relay/target.ts";

const GUILDS = ["111", "222"];

describe("relay process", () => {
  let gateway: FakeGateway;
  let target: FakeTarget;
  let spoolPath: string;
  let running: ChildProcess | null = null;
  let user = 1;

  const burst = (n: number) => {
    for (let i = 0; i < n; i++) gateway.dispatch("GUILD_MEMBER_ADD", memberAdd(GUILDS[i % GUILDS.length]!, user++));
  };
  const start = async () => {
    const relay = await startRelayProcess(relayEnv(gateway, target, spoolPath));
    running = relay.child;
    return relay;
  };

  beforeEach(async () => {
    gateway = await startFakeGateway({ heartbeatIntervalMs: 200, guilds: GUILDS });
    target = await startTarget("test-relay-secret-0123456789");
    spoolPath = tempSpool();
  });
  afterEach(async () => {
    if (running && running.exitCode === null && running.signalCode === null) {
      running.kill("SIGKILL");
      await once(running, "exit");
    }
    await gateway.close();
    await target.close();
  });

  it("loses nothing when killed with SIGKILL and restarted on the same spool", async () => {
    const first = await start();
    await waitFor("the first GUILD_CREATEs", () => target.accepted.length === GUILDS.length);
    burst(40);
    await waitFor("some deliveries", () => target.accepted.length > GUILDS.length);
    target.refuseWith = { status: 503 };
    burst(40);
    let spooled = 0;
    await waitFor("events waiting in the spool", async () => (spooled = await first.depth()) > 0, 5_000);
    expect(spooled).toBeGreaterThan(0); // killed with events still waiting for a 202

    first.child.kill("SIGKILL");
    await once(first.child, "exit");
    burst(40); // while the relay is dead: Discord keeps them for the session
    target.refuseWith = null;

    await start();
    burst(20);
    await waitFor("every event at the target", () => target.accepted.length === gateway.dispatched.length, 20_000);
    expect(gateway.stats.identifies).toBe(1);
    expect(gateway.stats.resumes).toBe(1);
    expectDeliveredInOrder(gateway, target);
  });

  it("exits 0 on SIGTERM with the spool intact, and resumes on the next start", async () => {
    const first = await start();
    await waitFor("the first GUILD_CREATEs", () => target.accepted.length === GUILDS.length);
    target.refuseWith = { status: 503 };
    burst(30);
    await waitFor("a refused forward", () => target.requests > GUILDS.length);
    first.child.kill("SIGTERM");
    const [code] = (await once(first.child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(first.logs.some((l) => l.msg === "stopped")).toBe(true);
    // A stop is no cause for alarm: its gateway close is logged at info, and nothing about the gateway warns.
    const gatewayLogs = first.logs.filter((l) => String(l.msg).startsWith("gateway"));
    expect(gatewayLogs.filter((l) => /closed/.test(String(l.msg)))).toEqual([expect.objectContaining({ level: "info", code: 4200 })]);
    expect(gatewayLogs.filter((l) => l.level !== "info")).toEqual([]);
    burst(10);
    target.refuseWith = null;

    const second = await start();
    await waitFor("every event at the target", () => target.accepted.length === gateway.dispatched.length, 20_000);
    expect(gateway.stats).toMatchObject({ identifies: 1, resumes: 1 });
    expectDeliveredInOrder(gateway, target);
    // The relay deletes accepted events from its spool in batches just after the 202s.
    await waitFor("an empty spool", async () => (await second.depth()) === 0, 5_000);
    expect(await second.depth()).toBe(0);
    second.child.kill("SIGTERM");
    expect(((await once(second.child, "exit")) as [number | null])[0]).toBe(0);
  });
});
