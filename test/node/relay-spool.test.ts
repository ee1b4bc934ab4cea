import { describe, expect, it } from "vitest";
import type { SessionInfo } from "@discordjs/ws";
import { Forwarder } from "../../relay/forwarder.ts";
import { createLogger } from "../../relay/log.ts";
import { ALL_SHARDS, Spool, SpoolLockedError, SpoolShardsError } from "../../relay/spool.ts";
import { SECRET, tempSpool } from "./relay/harness.ts";
import { startTarget, waitFor } from "./relay/target.ts";

const session = (sequence: number): SessionInfo => ({
  sessionId: "abc",
  sequence,
  resumeURL: "ws://127.0.0.1:1",
  shardCount: 1,
  shardId: 0,
});
const body = (guild: string, n: number) => JSON.stringify({ id: `abc:${n}`, t: "GUILD_MEMBER_ADD", d: { guild_id: guild, n } });

describe("spool", () => {
  it("is held by one process at a time and keeps the shards it was claimed for", async () => {
    const path = tempSpool();
    const spool = await Spool.open(path);
    await expect(Spool.open(path)).rejects.toBeInstanceOf(SpoolLockedError);
    await spool.claimShards("0-1/4");
    await spool.commit(0, [{ guild: "111", body: body("111", 1), session: session(1) }]);
    await spool.close();

    const busy = await Spool.open(path);
    expect(busy.shards).toBe("0-1/4");
    await expect(busy.claimShards("2-3/4")).rejects.toBeInstanceOf(SpoolShardsError);
    await busy.claimShards("0-1/4"); // the same range: nothing to check
    const [event] = await busy.head("111", 1);
    await busy.ack("111", [event!.key]);
    await busy.claimShards("2-3/4"); // drained: it takes the new range and forgets sessions it cannot resume
    expect(busy.sessions.size).toBe(0);
    await busy.commit(2, [{ guild: "222", body: body("222", 2), session: session(2) }]);
    await busy.close();

    const reopened = await Spool.open(path);
    expect(reopened.shards).toBe("2-3/4");
    await reopened.claimShards(ALL_SHARDS); // one process holding every guild overtakes nobody
    expect(reopened.depth()).toBe(1);
    await reopened.close();
  });

  it("keeps each guild's events in order, with the session, across a reopen", async () => {
    const path = tempSpool();
    const spool = await Spool.open(path);
    const writes = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => {
        const guild = (from + i) % 2 ? "111" : "222";
        return { guild, body: body(guild, from + i), session: session(from + i) };
      });
    await spool.commit(0, writes(1, 4));
    await spool.commit(0, [...writes(5, 12), { session: session(13) }]); // a batch: order kept, last session wins
    const [first] = await spool.head("111", 1);
    await spool.ack("111", [first!.key]);
    const [second] = await spool.head("111", 1);
    await spool.park("111", second!, 400, "bad body");
    await spool.close();

    const reopened = await Spool.open(path);
    expect(reopened.sessions.get(0)).toEqual(session(13));
    expect(reopened.depth()).toBe(10);
    expect(reopened.parkedCount()).toBe(1);
    expect((await reopened.head("111", 100)).map((e) => JSON.parse(e.body).d.n)).toEqual([5, 7, 9, 11]);
    expect((await reopened.head("222", 100)).map((e) => JSON.parse(e.body).d.n)).toEqual([2, 4, 6, 8, 10, 12]);
    // New keys sort after the old ones: the counter continues past what is on disk.
    await reopened.commit(0, [{ guild: "111", body: body("111", 13), session: session(14) }]);
    expect((await reopened.head("111", 100)).map((e) => JSON.parse(e.body).d.n)).toEqual([5, 7, 9, 11, 13]);

    expect(await reopened.requeueParked(() => "111")).toBe(1);
    expect(reopened.parkedCount()).toBe(0);
    expect((await reopened.head("111", 100)).map((e) => JSON.parse(e.body).d.n)).toEqual([5, 7, 9, 11, 13, 3]);
    await reopened.commit(0, [{ session: null }]);
    await reopened.close();
    const again = await Spool.open(path);
    expect(again.sessions.size).toBe(0);
    await again.close();
  });
});

describe("forwarder", () => {
  it("keeps other guilds flowing while one guild keeps failing", async () => {
    const target = await startTarget(SECRET);
    target.refuseEvent = (event) => (event.d.guild_id === "666" ? 500 : null);
    const spool = await Spool.open(tempSpool());
    const forwarder = new Forwarder(spool, {
      targetUrl: target.url,
      secret: SECRET,
      backoff: { baseMs: 50, maxMs: 200 },
      concurrency: 1,
      requestTimeoutMs: 1_000,
      log: createLogger("error", () => {}),
    });
    for (let n = 1; n <= 30; n++) {
      const guild = n <= 5 ? "666" : String(100 + (n % 3));
      await spool.commit(0, [{ guild, body: body(guild, n), session: session(n) }]);
      forwarder.notify(guild);
    }
    await waitFor("the healthy guilds", () => target.accepted.length === 25);
    expect(spool.depth()).toBe(5);
    expect(spool.depth("666")).toBe(5);
    const requests = target.requests;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Still retrying the broken guild, but with backoff rather than in a tight loop.
    expect(target.requests - requests).toBeGreaterThan(0);
    expect(target.requests - requests).toBeLessThan(15);
    target.refuseEvent = null;
    await waitFor("the broken guild to recover", () => target.accepted.length === 30);
    expect(target.accepted.filter((e) => e.d.guild_id === "666").map((e) => e.d.n)).toEqual([1, 2, 3, 4, 5]);
    await forwarder.stop(100);
    await spool.close();
    await target.close();
  });
});

describe("forwarder batches", () => {
  const start = async (target: Awaited<ReturnType<typeof startTarget>>) => {
    const spool = await Spool.open(tempSpool());
    const forwarder = new Forwarder(spool, {
      targetUrl: target.url,
      secret: SECRET,
      backoff: { baseMs: 20, maxMs: 50 },
      concurrency: 2,
      requestTimeoutMs: 1_000,
      log: createLogger("error", () => {}),
    });
    const spoolEvents = async (guild: string, from: number, to: number) => {
      for (let n = from; n <= to; n++) await spool.commit(0, [{ guild, body: body(guild, n), session: session(n) }]);
      forwarder.notify(guild);
    };
    const stop = async () => {
      await forwarder.stop(100);
      await spool.close();
      await target.close();
    };
    return { spool, spoolEvents, stop };
  };
  const numbers = (target: Awaited<ReturnType<typeof startTarget>>) => target.accepted.map((e) => e.d.n);

  it("sends a guild's events 100 to a request, in order", async () => {
    const target = await startTarget(SECRET);
    const { spool, spoolEvents, stop } = await start(target);
    await spoolEvents("111", 1, 250);
    await waitFor("every event", () => target.accepted.length === 250);
    expect(numbers(target)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(target.sizes).toEqual([100, 100, 50]);
    await waitFor("the spool to empty", () => spool.depth() === 0);
    await stop();
  });

  it("retries a failed batch whole, keeping its order, and adds what arrived meanwhile to the next", async () => {
    const target = await startTarget(SECRET);
    target.refuseWith = { status: 503 };
    const { spoolEvents, stop } = await start(target);
    await spoolEvents("111", 1, 3);
    await waitFor("a refused try", () => target.requests >= 2);
    await spoolEvents("111", 4, 5);
    target.refuseWith = null;
    await waitFor("every event", () => target.accepted.length === 5);
    expect(numbers(target)).toEqual([1, 2, 3, 4, 5]);
    expect(target.duplicates).toBe(0);
    // Whatever was retried was the guild's whole head, never a part of a batch: the refused 1–3 go
    // together, with 4 and 5 when they were spooled before the retry left (a retry in flight as the
    // refusals stop may carry 1–4, then 5).
    expect(target.sizes[0]).toBeGreaterThanOrEqual(3);
    expect(target.sizes.reduce((a, b) => a + b, 0)).toBe(5);
    await stop();
  });

  it("sends a refused batch one event at a time, so that only the refused event is parked", async () => {
    const target = await startTarget(SECRET);
    target.refuseEvent = (event) => (event.d.n === 2 ? 400 : null);
    const { spool, spoolEvents, stop } = await start(target);
    await spoolEvents("111", 1, 3);
    await waitFor("the good events", () => target.accepted.length === 2);
    expect(numbers(target)).toEqual([1, 3]);
    expect(target.sizes).toEqual([3, 1, 1, 1]);
    await waitFor("the parked event, and the others acknowledged", () => spool.parkedCount() === 1 && spool.depth() === 0);
    await stop();
  });
});
