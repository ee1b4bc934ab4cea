import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shardOf } from "../../simulator/gateway.ts";
import { snowflake } from "../../simulator/ids.ts";
import { startFakeGateway, type FakeGateway } from "./relay/fake-gateway.ts";
import { expectDeliveredInOrder, memberAdd, relayEnv, tempSpool } from "./relay/harness.ts";
import { startRelayProcess, type RelayProcess } from "./relay/process.ts";
import { startTarget, waitFor, type FakeTarget } from "./relay/target.ts";

const SHARD_COUNT = 2;
// Guilds created a millisecond apart alternate between the two shards ((id >> 22) is the creation time).
const GUILDS = Array.from({ length: 6 }, (_, i) => snowflake(Date.UTC(2024, 0, 1) + i));

describe("relay shards across processes", () => {
  let gateway: FakeGateway;
  let target: FakeTarget;
  const running: RelayProcess[] = [];
  let spools: string[] = [];
  let user = 1;

  const burst = (n: number) => {
    for (let i = 0; i < n; i++) gateway.dispatch("GUILD_MEMBER_ADD", memberAdd(GUILDS[i % GUILDS.length]!, user++));
  };
  const start = async (shard: number) => {
    const relay = await startRelayProcess({
      ...relayEnv(gateway, target, spools[shard]!),
      RELAY_SHARD_COUNT: String(SHARD_COUNT),
      RELAY_SHARD_IDS: String(shard),
    });
    running.push(relay);
    return relay;
  };
  const guildOf = (event: { t: string; d: Record<string, unknown> }) => String(event.t === "GUILD_CREATE" ? event.d.id : event.d.guild_id);
  const onShard = (shard: number) => (event: { t: string; d: Record<string, unknown> }) => shardOf(guildOf(event), SHARD_COUNT) === shard;

  beforeEach(async () => {
    // max_concurrency 1, as for most bots: the second process's first IDENTIFY within 5 s is refused and retried.
    gateway = await startFakeGateway({ heartbeatIntervalMs: 200, guilds: GUILDS, maxConcurrency: 1 });
    target = await startTarget("test-relay-secret-0123456789");
    spools = [tempSpool(), tempSpool()];
  });
  afterEach(async () => {
    for (const { child } of running.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }
    await gateway.close();
    await target.close();
  });

  it("delivers every guild's events once and in order, and a SIGKILLed shard loses nothing after restart", async () => {
    expect(new Set(GUILDS.map((g) => shardOf(g, SHARD_COUNT)))).toEqual(new Set([0, 1]));
    const [, second] = await Promise.all([start(0), start(1)]);
    await waitFor("both shards' GUILD_CREATEs", () => target.accepted.length === GUILDS.length, 25_000);
    // Each shard's session got exactly its guilds, as Discord routes them.
    for (const event of gateway.dispatched) expect(event.shard).toEqual([shardOf(guildOf(event), SHARD_COUNT), SHARD_COUNT]);
    expect(gateway.stats.identifies).toBe(SHARD_COUNT);

    burst(60);
    await waitFor("deliveries on both shards", () => target.accepted.filter(onShard(1)).length > GUILDS.length / 2 + 5);
    // Shard 1's Worker requests fail from now on, so its process dies with events still spooled.
    target.refuseEvent = (event) => (onShard(1)(event) ? 503 : null);
    burst(60);
    await waitFor("shard 1's events waiting in its spool", async () => (await second.depth()) > 10, 5_000);
    second.child.kill("SIGKILL");
    await once(second.child, "exit");

    burst(60); // shard 0 keeps flowing; shard 1's session keeps its events for the RESUME
    const shard0 = gateway.dispatched.filter(onShard(0)).length;
    // Under a loaded machine (CI runs three test processes at once) the burst can take more than the default wait.
    await waitFor("shard 0 while shard 1 is down", () => target.accepted.filter(onShard(0)).length === shard0, 30_000);
    target.refuseEvent = null;

    await start(1);
    burst(60);
    await waitFor("every event at the target", () => target.accepted.length === gateway.dispatched.length, 20_000);
    expect(gateway.stats.identifies).toBe(SHARD_COUNT); // the restarted process resumed its session
    expect(gateway.stats.resumes).toBe(1);
    expectDeliveredInOrder(gateway, target);
    // Not even a retry of an accepted event: shard 1 was killed while its requests were refused.
    expect(target.duplicates).toBe(0);
  });

  it("refuses to start on another range's spool while it holds events", async () => {
    const first = await start(0);
    await waitFor("shard 0's GUILD_CREATEs", () => target.accepted.length === GUILDS.filter((g) => shardOf(g, SHARD_COUNT) === 0).length);
    target.refuseWith = { status: 503 };
    burst(12);
    await waitFor("events waiting in the spool", async () => (await first.depth()) > 0, 5_000);
    first.child.kill("SIGTERM");
    await once(first.child, "exit");

    const wrong = await startRelayProcess({
      ...relayEnv(gateway, target, spools[0]!),
      RELAY_SHARD_COUNT: String(SHARD_COUNT),
      RELAY_SHARD_IDS: "1",
    }).then(
      () => "started",
      (error: unknown) => String(error),
    );
    expect(wrong).toMatch(/exited with 1: .*the spool holds \d+ events of shards 0\/2, not 1\/2/);
  });
});
