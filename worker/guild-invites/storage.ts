import type { MemberProfile } from "../members/profile";
import type { SearchTry } from "../health/report";
import { EMPTY_JOIN_FLOW, type JoinFlowMemory } from "../join-flow/expectations";
import type { OutboxItem } from "./outbox";
import { TimelineRows } from "./timeline-rows";

/** What a join's Postgres row needs beyond its verdict, kept while the timeline holds the join. */
export interface JoinMeta {
  userId: string;
  joinedAt: number;
  /** Discord's DID_REJOIN member flag. */
  didRejoin: boolean;
  /** A GUILD_MEMBER_REMOVE that came before the join's verdict was written. */
  leftAt?: number;
  /** Names and avatar from the GUILD_MEMBER_ADD, or a GUILD_MEMBER_UPDATE before the verdict. */
  profile?: MemberProfile;
}

/** The guild's settings and retry bookkeeping, small enough to load whole on each wake-up. */
export interface GuildState {
  /** Learned from the first event: alarms need it and carry no payload. */
  guildId: string | null;
  /** Guild features and vanity code from GUILD_CREATE (or GET /guilds/{id}); null until known. */
  features: string[] | null;
  vanityCode: string | null;
  /** Set by GUILD_CREATE, a reconcile or the first sight of the guild: the next alarm refetches. */
  needsFetch: boolean;
  /** The next fetch was asked for by the cron's reconcile (it found drift): what it counts is labelled so. */
  reconcileFetch: boolean;
  /** GUILD_CREATEs seen: each after the first starts a new gateway session, which may have lost events. */
  sessions: number;
  /** Invite code -> invitation id, for single-use invites minted for invitations. */
  invitationCodes: Record<string, string>;
  /** When to retry a failed Discord fetch, and how many times in a row it failed. */
  retryAt: number | null;
  failures: number;
  /** Consecutive failed outbox flushes (Postgres unreachable): the retry backs off with them. */
  flushFailures: number;
  /** When the object met a 429 (the last day's, at most RATE_LIMIT_MEMORY), for /invite health. */
  rateLimitedAt: number[];
  /** `/invite settings member_search`: off, unresolved joins are not looked up in Discord's member search. */
  memberSearch: boolean;
  /** How the object's own last member search went, for /invite health; null before the first. */
  lastSearch: SearchTry | null;
  /** When the bot left the guild (removed, or Missing Access): nothing is fetched or judged until it returns. */
  departedAt: number | null;
  /** "Join with Discord": members the bot is about to add, used states' nonces (worker/join-flow). */
  joinFlow: JoinFlowMemory;
}

const EMPTY_STATE: GuildState = {
  guildId: null,
  features: null,
  vanityCode: null,
  needsFetch: true,
  reconcileFetch: false,
  sessions: 0,
  invitationCodes: {},
  retryAt: null,
  failures: 0,
  flushFailures: 0,
  memberSearch: true,
  rateLimitedAt: [],
  lastSearch: null,
  departedAt: null,
  joinFlow: EMPTY_JOIN_FLOW,
};

const RATE_LIMIT_MEMORY = 1_000;
export const DAY_MS = 24 * 60 * 60_000;

/** How long an event id is remembered for deduplication (the relay retries for far less). */
export const SEEN_TTL_MS = 7 * DAY_MS;

/**
 * The Durable Object's SQLite storage: processed event ids, the attribution
 * timeline and what its joins' rows need, the outbox and its dead letters, and the state.
 * Every method is synchronous, so a caller's sequence runs in one implicit transaction.
 */
export class GuildStorage {
  /** The attribution timeline: joins, snapshots, the invite cache and gaps (see worker/attribution). */
  readonly timeline: TimelineRows;
  private parsedState: { json: string | null; value: GuildState } | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      create table if not exists seen (id text primary key, at integer not null);
      create index if not exists seen_at on seen (at);
      create table if not exists join_meta (event_id text primary key, json text not null);
      create table if not exists outbox (seq integer primary key autoincrement, json text not null);
      create table if not exists dead_letters (seq integer primary key, json text not null, reason text not null, at integer not null);
      create table if not exists kv (key text primary key, json text not null);
      create table if not exists lookups (event_id text primary key);
    `);
    this.timeline = new TimelineRows(sql);
    this.moveLegacyLookups();
  }

  /** Records an event id; false when it was seen before. */
  markSeen(id: string, now: number): boolean {
    return this.sql.exec("insert into seen (id, at) values (?, ?) on conflict do nothing returning id", id, now).toArray().length > 0;
  }

  forgetSeenBefore(time: number) {
    this.sql.exec("delete from seen where at < ?", time);
  }

  /**
   * Read on every event: parsed again only when the stored text changed (a rolled-back
   * transaction leaves the text as it was, so the copy can never be newer than the row).
   * Callers get their own shallow copy and replace, never mutate, its nested values.
   */
  state(): GuildState {
    const json = this.sql.exec<{ json: string }>("select json from kv where key = 'state'").toArray()[0]?.json ?? null;
    if (json !== this.parsedState?.json) this.parsedState = { json, value: json === null ? structuredClone(EMPTY_STATE) : { ...EMPTY_STATE, ...(JSON.parse(json) as Partial<GuildState>) } };
    return { ...this.parsedState.value };
  }

  /**
   * Merges `patch` into the stored state. The alarm awaits Discord and Postgres,
   * and events accepted meanwhile change the state: patching what it owns keeps them.
   */
  updateState(patch: Partial<GuildState>) {
    this.sql.exec(
      "insert into kv (key, json) values ('state', ?) on conflict (key) do update set json = excluded.json",
      JSON.stringify({ ...this.state(), ...patch }),
    );
  }

  /** Joins written unresolved that Discord's member search has not answered for yet (event ids), oldest first. */
  lookups(): string[] {
    return this.sql
      .exec<{ event_id: string }>("select event_id from lookups order by rowid")
      .toArray()
      .map((r) => r.event_id);
  }

  addLookups(eventIds: readonly string[]) {
    for (const id of eventIds) this.sql.exec("insert into lookups (event_id) values (?) on conflict do nothing", id);
  }

  /** Forgets the lookups named, or all of them. */
  dropLookups(eventIds?: readonly string[]) {
    this.deleteRows("lookups", "event_id", eventIds);
  }

  addJoinMeta(eventId: string, meta: JoinMeta) {
    this.sql.exec("insert into join_meta (event_id, json) values (?, ?) on conflict do nothing", eventId, JSON.stringify(meta));
  }

  updateJoinMeta(eventId: string, meta: JoinMeta) {
    this.sql.exec("update join_meta set json = ? where event_id = ?", JSON.stringify(meta), eventId);
  }

  joinMeta(eventId: string): JoinMeta | null {
    const row = this.sql.exec<{ json: string }>("select json from join_meta where event_id = ?", eventId).toArray()[0];
    return row ? (JSON.parse(row.json) as JoinMeta) : null;
  }

  /** Forgets the joins the timeline dropped; all of them when none is named. */
  forgetJoinMeta(eventIds?: readonly string[]) {
    this.deleteRows("join_meta", "event_id", eventIds);
  }

  enqueue(item: OutboxItem) {
    this.sql.exec("insert into outbox (json) values (?)", JSON.stringify(item));
  }

  /** The next items after `afterSeq` (items a flush leaves for later are passed over). */
  outbox(limit: number, afterSeq = 0): Array<{ seq: number; item: OutboxItem }> {
    return this.sql
      .exec<{ seq: number; json: string }>("select seq, json from outbox where seq > ? order by seq limit ?", afterSeq, limit)
      .toArray()
      .map((r) => ({ seq: r.seq, item: JSON.parse(r.json) as OutboxItem }));
  }

  /** Cheaper than counting: the outbox holds a raid's rows. */
  hasOutbox(): boolean {
    return this.sql.exec("select 1 from outbox limit 1").toArray().length > 0;
  }

  outboxDepth(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from outbox").one().n;
  }

  /** One statement for a run of items: a flush dequeues hundreds a second in a raid. */
  dequeue(...seqs: number[]) {
    this.deleteRows("outbox", "seq", seqs);
  }

  /** Moves an item Postgres will never accept out of the outbox, keeping it (and why) for an operator. */
  deadLetter(seq: number, reason: string, at: number) {
    this.sql.exec("insert or replace into dead_letters (seq, json, reason, at) select seq, json, ?, ? from outbox where seq = ?", reason, at, seq);
    this.dequeue(seq);
  }

  deadLetterCount(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from dead_letters").one().n;
  }

  /** When the latest relay event was stored (ids are remembered for SEEN_TTL_MS); null if none since. */
  noteRateLimitHits(hits: number, now: number) {
    const recent = this.state().rateLimitedAt.filter((at) => at > now - DAY_MS);
    this.updateState({ rateLimitedAt: [...recent, ...Array<number>(hits).fill(now)].slice(-RATE_LIMIT_MEMORY) });
  }

  rateLimitHitsInLastDay(now: number): number {
    return this.state().rateLimitedAt.filter((at) => at > now - DAY_MS).length;
  }

  /** Deletes the rows whose `column` is one of `keys` (one statement), or every row when no keys are given. */
  private deleteRows(table: "join_meta" | "lookups" | "outbox", column: "event_id" | "seq", keys?: readonly (string | number)[]) {
    if (keys === undefined) this.sql.exec(`delete from ${table}`);
    else if (keys.length > 0) this.sql.exec(`delete from ${table} where ${column} in (select value from json_each(?))`, JSON.stringify(keys));
  }

  /** Lookups were kept in the state until they became a table of their own: moved on wake-up. */
  private moveLegacyLookups() {
    const { lookups: legacy, ...rest } = this.state() as GuildState & { lookups?: string[] };
    if (legacy === undefined) return;
    this.addLookups(legacy);
    this.sql.exec("update kv set json = ? where key = 'state'", JSON.stringify(rest));
  }

  lastEventAt(): number | null {
    return this.sql.exec<{ at: number | null }>("select max(at) as at from seen").one().at;
  }
}
