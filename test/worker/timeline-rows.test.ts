import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addFetch, addGap, addInviteEvents, addJoin, decide, emptyTimeline, type FreshInvite, type Timeline } from "../../worker/attribution";
import { GuildStorage } from "../../worker/guild-invites/storage";
import { guildStub } from "./support/relay";

// The timeline's row store, on a Durable Object's own SQLite (objects of guilds
// no test plays: nothing wakes them).
const T0 = 1_700_000_000_000;
const invite = (code: string, uses: number): FreshInvite => ({ code, uses, maxUses: 0, maxAge: 0, createdAt: T0 - 86_400_000, expiresAt: null });
const fetched = (at: number, uses: Record<string, number>) => ({
  invites: Object.entries(uses).map(([code, n]) => invite(code, n)),
  startedAt: T0 + at,
  answeredAt: T0 + at + 100,
  vanity: { value: { code: "vanity", uses: 0 }, startedAt: T0 + at + 100, answeredAt: T0 + at + 200 },
});
const join = (i: number, at: number) => ({ eventId: `e${i}`, userId: `u${i}`, joinedAt: T0 + at, receivedAt: T0 + at + 300 });

/** Two fetches around three joins, a lost session, an invite created in between. */
function played(): Timeline {
  let tl = addFetch(emptyTimeline(), fetched(-60_000, { A: 10, B: 4 }));
  tl = addJoin(addJoin(addJoin(tl, join(1, 0)), join(2, 50)), join(3, 1_000));
  tl = addInviteEvents(tl, [{ type: "INVITE_CREATE", at: T0 + 200, invite: invite("C", 0) }]);
  tl = addGap(tl, T0 + 1_200);
  return addFetch(tl, fetched(1_500, { A: 11, B: 5, C: 1 }));
}

/** What rows give back: the cache in code order, everything else as it was. */
const normal = (tl: Timeline) => ({ ...tl, cache: [...tl.cache].sort((a, b) => a.code.localeCompare(b.code)) });

let guildSeq = 991_000_000_000_000_000n;
const inObject = <T>(run: (store: GuildStorage, sql: SqlStorage, storage: DurableObjectStorage) => T) =>
  runInDurableObject(guildStub(String(guildSeq++)), (_instance, state) => run(new GuildStorage(state.storage.sql), state.storage.sql, state.storage));

/** Counts the rows the statements made through it wrote. */
function counting(sql: SqlStorage) {
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  const proxy = new Proxy(sql, {
    get: (target, key) =>
      key === "exec"
        ? (query: string, ...bindings: unknown[]) => {
            const cursor = target.exec(query, ...bindings);
            cursors.push(cursor);
            return cursor;
          }
        : Reflect.get(target, key),
  });
  return { sql: proxy, written: () => cursors.reduce((n, c) => n + c.rowsWritten, 0) };
}

describe("the timeline's rows", () => {
  it("give back the timeline saved into them", async () => {
    const back = await inObject((store) => {
      store.timeline.save(emptyTimeline(), played());
      return store.timeline.load();
    });
    expect(normal(back)).toEqual(normal(played()));
  });

  it.each<[string, (tl: Timeline) => Timeline]>([
    ["a join", (tl) => addJoin(tl, join(4, 2_000))],
    ["a fetch", (tl) => addFetch(tl, fetched(3_000, { A: 12, B: 5, C: 1 }))],
    ["a lost session", (tl) => addGap(tl, T0 + 4_000)],
    ["an invite deleted", (tl) => addInviteEvents(tl, [{ type: "INVITE_DELETE", at: T0 + 2_500, code: "B" }])],
    ["a decision's verdicts", (tl) => decide(tl, T0 + 30_000).timeline],
    ["a decision that drops what it no longer needs", (tl) => decide(addFetch(tl, fetched(200_000, { A: 11, B: 5, C: 1 })), T0 + 400_000).timeline],
  ])("follow %s, writing only what it changed", async (_what, step) => {
    const { expected, back, written } = await inObject((store, sql) => {
      store.timeline.save(emptyTimeline(), played());
      const before = store.timeline.load();
      const expected = step(before);
      store.timeline.save(before, expected);
      // Loaded and saved unchanged: nothing is written.
      const count = counting(sql);
      const rows = new GuildStorage(count.sql).timeline;
      const again = rows.load();
      rows.save(again, again);
      return { expected, back: store.timeline.load(), written: count.written() };
    });
    expect(normal(back)).toEqual(normal(expected));
    expect(written).toBe(0);
  });

  it("take one join with a few rows written, however many are retained", async () => {
    const written = await inObject((store, sql) => {
      let tl = played();
      for (let i = 10; i < 1_010; i++) tl = addJoin(tl, join(i, 2_000 + i));
      store.timeline.save(emptyTimeline(), tl);
      const count = counting(sql);
      new GuildStorage(count.sql).timeline.addJoin(join(5_000, 9_000));
      return count.written();
    });
    // The join's row with its four index entries (SQLite counts each), the head and the version: not the 1,000 others.
    expect(written).toBeLessThanOrEqual(7);
  });

  it("find a member's join still waiting for its verdict, and count the waiting", async () => {
    const found = await inObject((store) => {
      const decided = decide(played(), T0 + 30_000).timeline;
      store.timeline.save(emptyTimeline(), addJoin(decided, join(9, 40_000)));
      return { waiting: store.timeline.waitingJoin("u9")?.eventId, decided: store.timeline.waitingJoin("u1"), pending: store.timeline.pendingCount() };
    });
    expect(found).toEqual({ waiting: "e9", decided: null, pending: 1 });
  });

  it("keep the window in memory as the rows have it, through every kind of change", async () => {
    const { kept, fresh, reloaded, events } = await inObject((store, sql) => {
      const rows = store.timeline;
      rows.save(emptyTimeline(), played());
      rows.load();
      rows.addJoin(join(4, 2_000));
      rows.applyInviteEvent({ type: "INVITE_DELETE", at: T0 + 2_100, code: "B" });
      rows.applyInviteEvent({ type: "INVITE_CREATE", at: T0 + 2_150, invite: invite("AA", 0) });
      rows.addGap(T0 + 2_200);
      const before = rows.load();
      const events = { kept: before, fresh: new GuildStorage(sql).timeline.load() };
      rows.save(before, decide(addFetch(before, fetched(3_000, { A: 12, C: 1, AA: 0 })), T0 + 10_000).timeline);
      rows.putJoins(rows.joins(["e2"]).map((j) => ({ ...j, pinned: true })));
      rows.addJoin(join(5, 1_500));
      const kept = rows.load();
      // Read from memory: the same object, no rows parsed again.
      const reloaded = rows.load() === kept;
      return { kept, fresh: new GuildStorage(sql).timeline.load(), reloaded, events };
    });
    expect(reloaded).toBe(true);
    expect(JSON.parse(JSON.stringify(normal(events.kept)))).toEqual(normal(events.fresh));
    expect(JSON.parse(JSON.stringify(normal(kept)))).toEqual(normal(fresh));
  });

  it("read the rows again after a transaction that changed them was rolled back", async () => {
    const { joins, fresh } = await inObject((store, sql, storage) => {
      store.timeline.save(emptyTimeline(), played());
      store.timeline.load();
      expect(() =>
        storage.transactionSync(() => {
          store.timeline.addJoin(join(7, 3_000));
          throw new Error("the event after it was refused");
        }),
      ).toThrow("refused");
      // A later change in the same instance must not resurrect the rolled-back join either.
      store.timeline.addJoin(join(8, 4_000));
      return { joins: store.timeline.load().joins.map((j) => j.eventId), fresh: new GuildStorage(sql).timeline.load().joins.map((j) => j.eventId) };
    });
    expect(joins).toEqual(["e1", "e2", "e3", "e8"]);
    expect(joins).toEqual(fresh);
  });

  it("take in an object's timeline stored whole, as objects before them kept it", async () => {
    const { back, legacy } = await inObject((_store, sql) => {
      sql.exec("insert or replace into kv (key, json) values ('timeline', ?)", JSON.stringify(played()));
      // The object waking up again: its storage is opened afresh.
      const store = new GuildStorage(sql);
      return { back: store.timeline.load(), legacy: sql.exec("select count(*) as n from kv where key = 'timeline'").one().n };
    });
    expect(normal(back)).toEqual(normal(played()));
    expect(legacy).toBe(0);
  });
});

describe("the object's storage", () => {
  it("moves the lookups an older object kept in its state into their own table, once", async () => {
    const { lookups, state } = await inObject((_store, sql) => {
      sql.exec("insert or replace into kv (key, json) values ('state', ?)", JSON.stringify({ guildId: "1", lookups: ["e1", "e2"], memberSearch: true }));
      const store = new GuildStorage(sql);
      store.addLookups(["e2", "e3"]);
      return { lookups: new GuildStorage(sql).lookups(), state: sql.exec<{ json: string }>("select json from kv where key = 'state'").one().json };
    });
    expect(lookups).toEqual(["e1", "e2", "e3"]);
    expect(JSON.parse(state)).toMatchObject({ guildId: "1", memberSearch: true });
    expect(JSON.parse(state)).not.toHaveProperty("lookups");
  });
});
