import { addGap, addInviteEvents, addJoin, emptyTimeline, type CachedInvite, type InviteEvent, type Snapshot, type Timeline, type TimelineJoin } from "../attribution";
import { readMarks, type MemberRoles } from "../marks";

/** The timeline's scalars: one small row, rewritten only when one of them changes. */
type Head = Pick<Timeline, "cachedAt" | "vanity" | "nextSeq" | "watermark">;

/** What a wake-up's legacy timeline value is kept under until it is moved into rows. */
const LEGACY_KEY = "timeline";
const HEAD_KEY = "timeline_head";
const VERSION_KEY = "timeline_version";

/**
 * The attribution timeline (worker/attribution) in the object's SQLite tables: one
 * row per join, snapshot, cache entry and gap. Each row holds its object whole as
 * JSON beside the columns queries need, so fields the pure module adds flow
 * through without a schema change. An event touches a few rows by index
 * (O(log n)); only `load`, for a decision, reads the retained window, which the
 * pure module's prune keeps bounded in time.
 *
 * The window is also kept in memory, so a raid's decisions (several a second) do
 * not parse it again each time. Every change writes a new version number beside
 * the rows; the copy in memory is used only while its version is the stored one,
 * so a transaction rolled back after changing it costs a reload, never a wrong window.
 */
export class TimelineRows {
  /** Row ids of the snapshots and gaps loaded or written, to tell which ones a pure step dropped. */
  private readonly ids = new WeakMap<object, number>();
  /** The window as of `version`; null until loaded, or when it may be stale. */
  private window: Timeline | null = null;
  private version = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      create table if not exists timeline_joins (event_id text primary key, user_id text not null, joined_at integer not null, seq integer not null, waiting integer not null, json text not null);
      create index if not exists timeline_joins_order on timeline_joins (joined_at, seq);
      create index if not exists timeline_joins_user on timeline_joins (user_id, joined_at);
      create index if not exists timeline_joins_waiting on timeline_joins (waiting) where waiting = 1;
      create table if not exists timeline_snapshots (id integer primary key autoincrement, json text not null);
      create table if not exists timeline_cache (code text primary key, json text not null);
      create table if not exists timeline_gaps (id integer primary key autoincrement, json text not null);
    `);
    this.moveLegacyValue();
  }

  /** The retained window, whole, for a decision or a fetch (the caller must not change it: the pure steps never do). */
  load(): Timeline {
    if (this.window !== null && this.storedVersion() === this.version) return this.window;
    const joins = this.sql
      .exec<{ json: string }>("select json from timeline_joins order by joined_at, seq")
      .toArray()
      .map((r) => JSON.parse(r.json) as TimelineJoin);
    this.window = { ...this.head(), cache: this.cache(), snapshots: this.rowsOf("timeline_snapshots"), gaps: this.rowsOf("timeline_gaps"), joins };
    this.version = this.storedVersion();
    return this.window;
  }

  /**
   * Writes what `after` changed of `before` (which came from `load`, or holds a
   * part of it): rows of objects the pure step replaced, added or dropped. The
   * pure module keeps every object it leaves alone, so the comparison is by identity
   * (the cache, small and rebuilt whole by a fetch, by value).
   * Returns the event ids of the joins dropped.
   */
  save(before: Timeline, after: Timeline): string[] {
    if (before === after) return [];
    return this.changed(() => this.write(before, after), (window) => (window === before ? after : null));
  }

  private write(before: Timeline, after: Timeline): string[] {
    const joinsBefore = new Map(before.joins.map((j) => [j.eventId, j]));
    for (const join of after.joins) {
      if (joinsBefore.get(join.eventId) !== join) this.putJoin(join);
      joinsBefore.delete(join.eventId);
    }
    for (const eventId of joinsBefore.keys()) this.sql.exec("delete from timeline_joins where event_id = ?", eventId);
    this.saveList("timeline_snapshots", before.snapshots, after.snapshots);
    this.saveList("timeline_gaps", before.gaps, after.gaps);
    const cacheBefore = new Map(before.cache.map((c) => [c.code, JSON.stringify(c)]));
    for (const entry of after.cache) {
      const json = JSON.stringify(entry);
      if (cacheBefore.get(entry.code) !== json) this.sql.exec("insert or replace into timeline_cache (code, json) values (?, ?)", entry.code, json);
      cacheBefore.delete(entry.code);
    }
    for (const code of cacheBefore.keys()) this.sql.exec("delete from timeline_cache where code = ?", code);
    const head: Head = { cachedAt: after.cachedAt, vanity: after.vanity, nextSeq: after.nextSeq, watermark: after.watermark };
    if (JSON.stringify(head) !== JSON.stringify(this.headOf(before))) this.putHead(head);
    return [...joinsBefore.keys()];
  }

  /** One join delivered: a row in, and the head's sequence and watermark. */
  addJoin(join: Parameters<typeof addJoin>[1]) {
    const before = this.partial();
    const after = addJoin(before, join);
    const added = after.joins[0]!;
    this.changed(
      () => this.write(before, after),
      (window) => ({ ...window, ...this.headOf(after), joins: insertSorted(window.joins, added) }),
    );
  }

  /** A new gateway session: the gap starts at the watermark, or at the first snapshot. */
  addGap(receivedAt: number) {
    const first = this.sql.exec<{ id: number; json: string }>("select id, json from timeline_snapshots order by id limit 1").toArray();
    const before = { ...this.partial(), snapshots: first.map((r) => this.tracked<Snapshot>(r)) };
    const after = addGap(before, receivedAt);
    this.changed(
      () => this.write(before, after),
      (window) => ({ ...window, gaps: [...window.gaps, ...after.gaps] }),
    );
  }

  /** INVITE_CREATE or INVITE_DELETE: only the code's cache entry changes. */
  applyInviteEvent(event: InviteEvent) {
    const entry = this.cacheEntry(event.type === "INVITE_CREATE" ? event.invite.code : event.code);
    const before = { ...this.partial(), cache: entry ? [entry] : [] };
    const after = addInviteEvents(before, [event]);
    this.changed(
      () => this.write(before, after),
      (window) => ({ ...window, cache: mergeCache(window.cache, before.cache, after.cache) }),
    );
  }

  cacheEntry(code: string): CachedInvite | null {
    const row = this.sql.exec<{ json: string }>("select json from timeline_cache where code = ?", code).toArray()[0];
    return row ? (JSON.parse(row.json) as CachedInvite) : null;
  }

  /** A join of this member that has no verdict yet, if any. */
  waitingJoin(userId: string): TimelineJoin | null {
    const row = this.sql.exec<{ json: string }>("select json from timeline_joins where user_id = ? and waiting = 1 order by joined_at, seq limit 1", userId).toArray()[0];
    return row ? (JSON.parse(row.json) as TimelineJoin) : null;
  }

  /** The member's latest join the timeline holds, decided or not. */
  latestJoin(userId: string): TimelineJoin | null {
    const row = this.sql.exec<{ json: string }>("select json from timeline_joins where user_id = ? order by joined_at desc, seq desc limit 1", userId).toArray()[0];
    return row ? (JSON.parse(row.json) as TimelineJoin) : null;
  }

  /** A GUILD_MEMBER_UPDATE's roles: the marks its join lacked (worker/marks), on that join's row alone. */
  applyMarks(update: MemberRoles, now: number, freezeMs: number) {
    const joins = this.sql
      .exec<{ json: string }>("select json from timeline_joins where user_id = ? and joined_at = ?", update.userId, update.joinedAt)
      .toArray()
      .map((r) => JSON.parse(r.json) as TimelineJoin);
    if (joins.length === 0) return;
    const before = { ...this.partial(), joins, cache: this.cache() };
    const after = readMarks(before, update, now, freezeMs);
    this.putJoins(after.joins.filter((join, i) => join !== before.joins[i]));
  }

  waitingJoins(): TimelineJoin[] {
    return this.sql
      .exec<{ json: string }>("select json from timeline_joins where waiting = 1 order by joined_at, seq")
      .toArray()
      .map((r) => JSON.parse(r.json) as TimelineJoin);
  }

  pendingCount(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from timeline_joins where waiting = 1").one().n;
  }

  /** The retained joins with these event ids. */
  joins(eventIds: readonly string[]): TimelineJoin[] {
    return this.sql
      .exec<{ json: string }>("select json from timeline_joins where event_id in (select value from json_each(?))", JSON.stringify(eventIds))
      .toArray()
      .map((r) => JSON.parse(r.json) as TimelineJoin);
  }

  /** Rewrites joins changed outside a decision (pinned by member search, marked by an update). */
  putJoins(joins: readonly TimelineJoin[]) {
    if (joins.length === 0) return;
    const replaced = new Map(joins.map((j) => [j.eventId, j]));
    this.changed(
      () => joins.forEach((join) => this.putJoin(join)),
      (window) => ({ ...window, joins: window.joins.map((j) => replaced.get(j.eventId) ?? j) }),
    );
  }

  snapshotCount(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from timeline_snapshots").one().n;
  }

  cache(): CachedInvite[] {
    return this.sql
      .exec<{ json: string }>("select json from timeline_cache order by code")
      .toArray()
      .map((r) => JSON.parse(r.json) as CachedInvite);
  }

  head(): Head {
    const row = this.sql.exec<{ json: string }>("select json from kv where key = ?", HEAD_KEY).toArray()[0];
    return row ? (JSON.parse(row.json) as Head) : this.headOf(emptyTimeline());
  }

  /** Forgets the whole timeline (the bot left the guild). */
  clear() {
    this.changed(
      () => {
        this.sql.exec("delete from timeline_joins; delete from timeline_snapshots; delete from timeline_cache; delete from timeline_gaps");
        this.sql.exec("delete from kv where key = ?", HEAD_KEY);
      },
      () => emptyTimeline(),
    );
  }

  /**
   * Runs a change of the rows and records a new version; the window in memory
   * follows through `follow` when it was current, and is dropped otherwise.
   */
  private changed<T>(write: () => T, follow: (window: Timeline) => Timeline | null): T {
    const result = write();
    const stored = Number(
      this.sql
        .exec<{ json: string }>(
          "insert into kv (key, json) values (?, '1') on conflict (key) do update set json = cast(json as integer) + 1 returning json",
          VERSION_KEY,
        )
        .one().json,
    );
    // Current only when nothing changed the rows since the copy was made (or undid a change to it).
    const current = this.window !== null && stored === this.version + 1 ? this.window : null;
    this.version = stored;
    this.window = current === null ? null : follow(current);
    return result;
  }

  private storedVersion(): number {
    const row = this.sql.exec<{ json: string }>("select json from kv where key = ?", VERSION_KEY).toArray()[0];
    return row ? Number(row.json) : 0;
  }

  /** The head with no rows: what a single event's pure step builds on. */
  private partial(): Timeline {
    return { ...emptyTimeline(), ...this.head() };
  }

  private headOf({ cachedAt, vanity, nextSeq, watermark }: Timeline): Head {
    return { cachedAt, vanity, nextSeq, watermark };
  }

  private putHead(head: Head) {
    this.sql.exec("insert into kv (key, json) values (?, ?) on conflict (key) do update set json = excluded.json", HEAD_KEY, JSON.stringify(head));
  }

  private putJoin(join: TimelineJoin) {
    this.sql.exec(
      "insert or replace into timeline_joins (event_id, user_id, joined_at, seq, waiting, json) values (?, ?, ?, ?, ?, ?)",
      join.eventId,
      join.userId,
      join.joinedAt,
      join.seq,
      // Waiting for its row: not decided yet, and not settled outside the diff (an OAuth join).
      join.emitted || join.pinned ? 0 : 1,
      JSON.stringify(join),
    );
  }

  private rowsOf<T extends object>(table: "timeline_snapshots" | "timeline_gaps"): T[] {
    return this.sql
      .exec<{ id: number; json: string }>(`select id, json from ${table} order by id`)
      .toArray()
      .map((r) => this.tracked<T>(r));
  }

  private tracked<T extends object>(row: { id: number; json: string }): T {
    const value = JSON.parse(row.json) as T;
    this.ids.set(value, row.id);
    return value;
  }

  /** Snapshots and gaps are only appended and dropped: new objects get rows, dropped ones lose theirs. */
  private saveList(table: "timeline_snapshots" | "timeline_gaps", before: readonly object[], after: readonly object[]) {
    const kept = new Set(after);
    for (const value of before) {
      const id = this.ids.get(value);
      if (!kept.has(value) && id !== undefined) this.sql.exec(`delete from ${table} where id = ?`, id);
    }
    for (const value of after) {
      if (this.ids.has(value)) continue;
      const { id } = this.sql.exec<{ id: number }>(`insert into ${table} (json) values (?) returning id`, JSON.stringify(value)).one();
      this.ids.set(value, id);
    }
  }

  /** Objects stored before the rows held their timeline as one kv value: moved into rows on wake-up. */
  private moveLegacyValue() {
    const row = this.sql.exec<{ json: string }>("select json from kv where key = ?", LEGACY_KEY).toArray()[0];
    if (!row) return;
    const legacy = { ...emptyTimeline(), ...(JSON.parse(row.json) as Partial<Timeline>) };
    this.save({ ...emptyTimeline(), ...this.head() }, legacy);
    this.sql.exec("delete from kv where key = ?", LEGACY_KEY);
  }
}

const byOrder = (a: TimelineJoin, b: TimelineJoin) => a.joinedAt - b.joinedAt || a.seq - b.seq;

/** The joins with one more, in (joinedAt, seq) order: a binary search, not a sort. */
function insertSorted(joins: readonly TimelineJoin[], join: TimelineJoin): TimelineJoin[] {
  let [lo, hi] = [0, joins.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byOrder(joins[mid]!, join) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [...joins.slice(0, lo), join, ...joins.slice(lo)];
}

/** The cache with a part of it changed from `before` to `after`, in code order as `load` reads it. */
function mergeCache(cache: readonly CachedInvite[], before: readonly CachedInvite[], after: readonly CachedInvite[]): CachedInvite[] {
  const byCode = new Map(cache.map((c) => [c.code, c]));
  for (const entry of before) byCode.delete(entry.code);
  for (const entry of after) byCode.set(entry.code, entry);
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
