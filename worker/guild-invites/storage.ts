import type { CachedInvite, InviteEvent, LedgerEntry, PendingJoin, UnresolvedGroup, Vanity } from "../attribution";
import type { OutboxItem } from "./outbox";

/** A pending join plus what the Postgres row needs beyond the diff. */
export interface StoredJoin extends PendingJoin {
  didRejoin: boolean;
}

/** The guild's attribution state, small enough to load whole on each wake-up. */
export interface GuildState {
  /** Learned from the first event: alarms need it and carry no payload. */
  guildId: string | null;
  cache: CachedInvite[];
  cachedAt: number | null;
  ledger: LedgerEntry[];
  vanity: Vanity;
  /** Guild features and vanity code from GUILD_CREATE (or GET /guilds/{id}); null until known. */
  features: string[] | null;
  vanityCode: string | null;
  /** Set by GUILD_CREATE or the first sight of the guild: the next alarm refetches. */
  needsFetch: boolean;
  /** Invite code -> invitation id, for single-use invites minted for invitations. */
  invitationCodes: Record<string, string>;
  /** When to retry a failed Discord fetch or Postgres flush, and how many times it failed. */
  retryAt: number | null;
  failures: number;
  /** Consecutive failed outbox flushes (Postgres unreachable): the retry backs off with them. */
  flushFailures: number;
}

const EMPTY_STATE: GuildState = {
  guildId: null,
  cache: [],
  cachedAt: null,
  ledger: [],
  vanity: null,
  features: null,
  vanityCode: null,
  needsFetch: true,
  invitationCodes: {},
  retryAt: null,
  failures: 0,
  flushFailures: 0,
};

/** How long an event id is remembered for deduplication (the relay retries for far less). */
export const SEEN_TTL_MS = 7 * 24 * 60 * 60_000;

/**
 * The Durable Object's SQLite storage: processed event ids, pending joins,
 * invite events since the last fetch, unresolved groups, the outbox and its dead letters, and the state.
 * Every method is synchronous, so a caller's sequence runs in one implicit transaction.
 */
export class GuildStorage {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      create table if not exists seen (id text primary key, at integer not null);
      create table if not exists pending_joins (event_id text primary key, json text not null);
      create table if not exists invite_events (seq integer primary key autoincrement, json text not null);
      create table if not exists groups (group_id text primary key, json text not null, created_at integer not null);
      create table if not exists outbox (seq integer primary key autoincrement, json text not null);
      create table if not exists dead_letters (seq integer primary key, json text not null, reason text not null, at integer not null);
      create table if not exists kv (key text primary key, json text not null);
    `);
  }

  /** Records an event id; false when it was seen before. */
  markSeen(id: string, now: number): boolean {
    return this.sql.exec("insert into seen (id, at) values (?, ?) on conflict do nothing returning id", id, now).toArray().length > 0;
  }

  forgetSeenBefore(time: number) {
    this.sql.exec("delete from seen where at < ?", time);
  }

  state(): GuildState {
    const row = this.sql.exec<{ json: string }>("select json from kv where key = 'state'").toArray()[0];
    return row ? { ...EMPTY_STATE, ...(JSON.parse(row.json) as Partial<GuildState>) } : structuredClone(EMPTY_STATE);
  }

  /**
   * Merges `patch` into the stored state. The alarm awaits Discord and Postgres,
   * and events accepted meanwhile change the state: patching what it owns keeps them.
   */
  updateState(patch: Partial<GuildState>) {
    this.saveState({ ...this.state(), ...patch });
  }

  saveState(state: GuildState) {
    this.sql.exec("insert into kv (key, json) values ('state', ?) on conflict (key) do update set json = excluded.json", JSON.stringify(state));
  }

  addJoin(join: StoredJoin) {
    this.sql.exec("insert into pending_joins (event_id, json) values (?, ?) on conflict do nothing", join.eventId, JSON.stringify(join));
  }

  joins(): StoredJoin[] {
    return this.sql.exec<{ json: string }>("select json from pending_joins").toArray().map((r) => JSON.parse(r.json) as StoredJoin);
  }

  removeJoin(eventId: string) {
    this.sql.exec("delete from pending_joins where event_id = ?", eventId);
  }

  addInviteEvent(event: InviteEvent) {
    this.sql.exec("insert into invite_events (json) values (?)", JSON.stringify(event));
  }

  /** The invite events since the last fetch, and the position to clear through once they are applied. */
  inviteEvents(): { events: InviteEvent[]; throughSeq: number } {
    const rows = this.sql.exec<{ seq: number; json: string }>("select seq, json from invite_events order by seq").toArray();
    return { events: rows.map((r) => JSON.parse(r.json) as InviteEvent), throughSeq: rows.at(-1)?.seq ?? 0 };
  }

  /** Events stored while the alarm awaited Discord stay for the next fetch. */
  clearInviteEventsThrough(seq: number) {
    this.sql.exec("delete from invite_events where seq <= ?", seq);
  }

  saveGroup(group: UnresolvedGroup, now: number) {
    this.sql.exec("insert or replace into groups (group_id, json, created_at) values (?, ?, ?)", group.groupId, JSON.stringify(group), now);
  }

  forgetGroupsBefore(time: number) {
    this.sql.exec("delete from groups where created_at < ?", time);
  }

  enqueue(item: OutboxItem) {
    this.sql.exec("insert into outbox (json) values (?)", JSON.stringify(item));
  }

  outbox(limit: number): Array<{ seq: number; item: OutboxItem }> {
    return this.sql
      .exec<{ seq: number; json: string }>("select seq, json from outbox order by seq limit ?", limit)
      .toArray()
      .map((r) => ({ seq: r.seq, item: JSON.parse(r.json) as OutboxItem }));
  }

  outboxDepth(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from outbox").one().n;
  }

  dequeue(seq: number) {
    this.sql.exec("delete from outbox where seq = ?", seq);
  }

  /** Moves an item Postgres will never accept out of the outbox, keeping it (and why) for an operator. */
  deadLetter(seq: number, reason: string, at: number) {
    this.sql.exec("insert or replace into dead_letters (seq, json, reason, at) select seq, json, ?, ? from outbox where seq = ?", reason, at, seq);
    this.dequeue(seq);
  }

  deadLetterCount(): number {
    return this.sql.exec<{ n: number }>("select count(*) as n from dead_letters").one().n;
  }
}
