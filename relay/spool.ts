import { mkdirSync } from "node:fs";
import path from "node:path";
import type { SessionInfo } from "@discordjs/ws";
import { ClassicLevel } from "classic-level";

/**
 * The durable spool, in LevelDB (classic-level). Keyspaces:
 *   q!<guild>!<n>  an event waiting for a 202 (n: 16-digit counter, so a guild's keys sort in arrival order)
 *   p!<n>          a parked event the Worker refused with a 4xx: kept for an operator, never retried
 *   s!<shard>      the gateway session to RESUME after a restart
 *   m!shards       the shards this spool's events came from ("0-3/8", or "all")
 *
 * A spooled event and the session sequence that covers it are written in one
 * atomic batch, so the persisted sequence never runs ahead of what is on disk:
 * after a crash the relay resumes from a sequence whose events it holds, and
 * Discord replays everything after it. Writes are not fsynced: a killed process
 * loses nothing (the OS has the writes), and a power loss rolls the log back
 * to a consistent prefix, events and sequence together, which the resume fills
 * in while Discord still keeps the session.
 */
export interface SpooledEvent {
  key: string;
  body: string;
}

export interface ParkedEvent {
  body: string;
  status: number;
  response: string;
  parkedAt: string;
}

/** An event for a guild's queue with the session that covers it, or just a session update. */
export type SpoolWrite = { guild: string; body: string; session: SessionInfo } | { session: SessionInfo | null };

const COUNTER_DIGITS = 16;

/** The assignment of a process holding every shard (however many Discord recommends). */
export const ALL_SHARDS = "all";

export class Spool {
  private readonly pending = new Map<string, number>();
  private parked = 0;

  private constructor(
    private readonly db: ClassicLevel<string, string>,
    private next: number,
    private readonly stored: Map<number, SessionInfo>,
    private shardsHeld: string | null,
  ) {}

  /** Throws SpoolLockedError while another process has `location` open (LevelDB's own lock). */
  static async open(location: string): Promise<Spool> {
    mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
    const db = new ClassicLevel<string, string>(location, { valueEncoding: "utf8" });
    try {
      await db.open();
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === "LEVEL_LOCKED") throw new SpoolLockedError(location);
      throw error;
    }
    let max = 0;
    let shardsHeld: string | null = null;
    const sessions = new Map<number, SessionInfo>();
    const pending = new Map<string, number>();
    let parked = 0;
    for await (const [key, value] of db.iterator()) {
      const [space, ...rest] = key.split("!");
      if (space === "q" || space === "p") max = Math.max(max, Number(key.slice(-COUNTER_DIGITS)));
      if (space === "q") pending.set(rest[0]!, (pending.get(rest[0]!) ?? 0) + 1);
      if (space === "p") parked++;
      if (space === "s") sessions.set(Number(rest[0]), JSON.parse(value) as SessionInfo);
      if (key === "m!shards") shardsHeld = value;
    }
    // A spool written before shards were recorded held every shard of its process.
    const legacy = shardsHeld === null && (pending.size > 0 || sessions.size > 0) ? ALL_SHARDS : null;
    const spool = new Spool(db, max + 1, sessions, shardsHeld ?? legacy);
    for (const [guild, count] of pending) spool.pending.set(guild, count);
    spool.parked = parked;
    return spool;
  }

  /**
   * Writes, in one atomic batch and in order, gateway events to their guilds'
   * queues and the session state that covers them (null: forget the session).
   */
  async commit(shardId: number, writes: SpoolWrite[]): Promise<void> {
    const ops: ({ type: "put"; key: string; value: string } | { type: "del"; key: string })[] = [];
    const counted: string[] = [];
    for (const write of writes) {
      if ("body" in write) {
        ops.push({ type: "put", key: `q!${write.guild}!${this.counter()}`, value: write.body });
        counted.push(write.guild);
      }
      if (write.session) ops.push({ type: "put", key: `s!${shardId}`, value: JSON.stringify(write.session) });
      else ops.push({ type: "del", key: `s!${shardId}` });
    }
    // Counted before the write lands, so an ack racing the write can never drive a count below the truth.
    for (const guild of counted) this.pending.set(guild, (this.pending.get(guild) ?? 0) + 1);
    try {
      await this.db.batch(ops);
    } catch (error) {
      for (const guild of counted) this.dequeued(guild);
      throw error;
    }
  }

  /** The gateway sessions to resume, per shard, as of the last write. */
  get sessions(): ReadonlyMap<number, SessionInfo> {
    return this.stored;
  }

  /** The shards whose events this spool holds, as last claimed; null for a new spool. */
  get shards(): string | null {
    return this.shardsHeld;
  }

  /**
   * Binds the spool to `shards` ("0-3/8", or ALL_SHARDS). Another range is
   * only taken while nothing waits to be forwarded: those guilds may now
   * belong to another process, which would overtake them. Every shard in this
   * process is always safe. Old sessions cannot be resumed under a new
   * assignment and are forgotten.
   */
  async claimShards(shards: string): Promise<void> {
    if (this.shardsHeld === shards) return;
    if (this.shardsHeld !== null && shards !== ALL_SHARDS && this.depth() > 0) {
      throw new SpoolShardsError(this.shardsHeld, shards, this.depth());
    }
    const forgotten = [...this.stored.keys()].map((shard) => ({ type: "del" as const, key: `s!${shard}` }));
    await this.db.batch([...forgotten, { type: "put", key: "m!shards", value: shards }]);
    this.stored.clear();
    this.shardsHeld = shards;
  }

  /** The oldest `limit` events of a guild, in order. */
  async head(guild: string, limit: number): Promise<SpooledEvent[]> {
    const entries = await this.db.iterator({ gt: `q!${guild}!`, lt: `q!${guild}!~`, limit }).all();
    return entries.map(([key, body]) => ({ key, body }));
  }

  /** The Worker answered 202 for these events of `guild`: they leave the spool. */
  async ack(guild: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.batch(keys.map((key) => ({ type: "del" as const, key })));
    for (let i = 0; i < keys.length; i++) this.dequeued(guild);
  }

  async park(guild: string, event: SpooledEvent, status: number, response: string): Promise<void> {
    const parked: ParkedEvent = { body: event.body, status, response, parkedAt: new Date().toISOString() };
    await this.db.batch([
      { type: "del", key: event.key },
      { type: "put", key: `p!${this.counter()}`, value: JSON.stringify(parked) },
    ]);
    this.dequeued(guild);
    this.parked++;
  }

  /** Moves every parked event back to its guild's queue (after the operator fixed the cause). */
  async requeueParked(guildOfBody: (body: string) => string): Promise<number> {
    const entries = await this.db.iterator({ gt: "p!", lt: "p!~" }).all();
    for (const [key, value] of entries) {
      const { body } = JSON.parse(value) as ParkedEvent;
      const guild = guildOfBody(body);
      await this.db.batch([
        { type: "del", key },
        { type: "put", key: `q!${guild}!${this.counter()}`, value: body },
      ]);
      this.pending.set(guild, (this.pending.get(guild) ?? 0) + 1);
      this.parked--;
    }
    return entries.length;
  }

  depth(guild?: string): number {
    if (guild !== undefined) return this.pending.get(guild) ?? 0;
    let total = 0;
    for (const count of this.pending.values()) total += count;
    return total;
  }

  parkedCount(): number {
    return this.parked;
  }

  pendingGuilds(): string[] {
    return [...this.pending.keys()];
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private dequeued(guild: string): void {
    const left = (this.pending.get(guild) ?? 1) - 1;
    if (left > 0) this.pending.set(guild, left);
    else this.pending.delete(guild);
  }

  private counter(): string {
    return String(this.next++).padStart(COUNTER_DIGITS, "0");
  }
}

export class SpoolLockedError extends Error {
  constructor(readonly location: string) {
    super(`the spool ${location} is open in another relay process; give each process its own RELAY_SPOOL_PATH`);
  }
}

export class SpoolShardsError extends Error {
  constructor(readonly held: string, readonly wanted: string, readonly depth: number) {
    super(
      `the spool holds ${depth} events of shards ${held}, not ${wanted}: run it with its old RELAY_SHARD_COUNT/RELAY_SHARD_IDS until /healthz shows depth 0, or give this range its own RELAY_SPOOL_PATH`,
    );
  }
}
