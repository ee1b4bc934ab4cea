/**
 * The simulator's Discord gateway, on the REST server's port: HELLO,
 * IDENTIFY → READY (+ GUILD_CREATE per guild of the shard), DISPATCH with
 * increasing `s`, HEARTBEAT → HEARTBEAT_ACK, RESUME → replay of the missed
 * dispatches then RESUMED, and on demand RECONNECT (op 7) and INVALID_SESSION
 * (op 9). Like Discord, it keeps a session's dispatches while no client is
 * attached and replays them on RESUME; a fresh IDENTIFY starts a new session.
 * Intents are not checked: every dispatch goes to a session.
 *
 * Sharding as Discord does it: IDENTIFY's `shard: [id, count]` (default
 * [0, 1]) picks the guilds a session receives, `(guild_id >> 22) % count ===
 * id`; events without a guild go to shard 0. An id outside [0, count) closes
 * with 4010, a shard over 2,500 guilds with 4011. The newest session of each
 * [id, count] receives that shard's dispatches; one that happened before that
 * session began is lost, as on Discord (its GUILD_CREATE already reflects it).
 * IDENTIFY is limited like Discord's: `session_start_limit.total` per 24 h
 * (past it, 4004 as when Discord resets the token), and one per 5 s per
 * bucket `shard_id % max_concurrency` (too soon: INVALID_SESSION, d false).
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { WebSocket } from "ws";

// `ws` is CommonJS; require works in every runner (tsx, vitest, vitest globalSetup).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");

export interface Dispatched {
  sessionId: string;
  /** The session's [shard_id, shard_count]. */
  shard: Shard;
  s: number;
  t: string;
  d: Record<string, unknown>;
}

export type Shard = [id: number, count: number];

interface Session {
  id: string;
  shard: Shard;
  startedAt: number;
  seq: number;
  log: Dispatched[];
  socket: WebSocket | null;
  resumable: boolean;
}

export interface GatewayOptions {
  heartbeatIntervalMs?: number;
  /** The bot's user object, for READY. */
  botUser: () => Record<string, unknown>;
  /** GUILD_CREATE payloads, one per guild the bot is in, sent after READY. */
  guilds: () => Record<string, unknown>[];
  /** The clock dispatches' `happenedAt` and the identify limits are on. */
  now?: () => number;
  /** GET /gateway/bot's session_start_limit.max_concurrency: IDENTIFY buckets per 5 s (1 for most bots, 16+ for large ones). */
  maxConcurrency?: number;
  /** session_start_limit.total: IDENTIFYs per 24 h. */
  sessionStartLimit?: number;
}

/** GET /gateway/bot's answer, as Discord computes it. */
export interface GatewayBot {
  url: string;
  shards: number;
  session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
}

/** Discord's shard for a guild: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Discord recommends a shard per 1,000 guilds and refuses more than 2,500 on one (close 4011). */
const GUILDS_PER_RECOMMENDED_SHARD = 1_000;
const MAX_GUILDS_PER_SHARD = 2_500;
const IDENTIFY_WINDOW_MS = 5_000;
const SESSION_LIMIT_WINDOW_MS = 86_400_000;

export interface Gateway {
  /** Every dispatch ever made, in order (READY and RESUMED excluded). */
  dispatched: Dispatched[];
  stats: { identifies: number; resumes: number; heartbeats: number; connections: number; refusedIdentifies: number };
  /**
   * Dispatches to the newest session of the guild's shard (guild_id, or id for
   * GUILD_CREATE/GUILD_UPDATE), live or not; null before that shard's first
   * IDENTIFY (nobody to deliver to) or when it happened (`happenedAt`) before that session began.
   */
  dispatch(t: string, d: Record<string, unknown>, happenedAt?: number): Dispatched | null;
  /** GET /gateway/bot for the guilds the bot is in now. */
  gatewayBot(): GatewayBot;
  /** Every newest session (or the one of shard `shardId`) has a live connection. */
  connected(shardId?: number): boolean;
  /** The optional `shardId` limits these to that shard's newest session; without it, every shard. */
  reconnect(shardId?: number): void;
  invalidateSession(resumable: boolean, shardId?: number): void;
  /** Drops the TCP connection without a close frame, like a network failure. */
  dropConnection(shardId?: number): void;
  close(): Promise<void>;
}

export const GATEWAY_PATH = "/gateway";

const GUILD_KEYED = new Set(["GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"]);

/** The guild a dispatch concerns, or null (DMs and the like, which Discord sends to shard 0). */
function guildOf(t: string, d: Record<string, unknown>): string | null {
  if (typeof d.guild_id === "string") return d.guild_id;
  return GUILD_KEYED.has(t) && typeof d.id === "string" ? d.id : null;
}

/** IDENTIFY's `shard`, or null when it is not a valid [id, count] (Discord closes with 4010). */
function parseShard(raw: unknown): Shard | null {
  if (raw === undefined) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count] = raw as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  return (id as number) >= 0 && (count as number) >= 1 && (id as number) < (count as number) ? [id as number, count as number] : null;
}

/** Serves the gateway at `wsUrl` (ws://host:port/gateway) on an existing HTTP server. */
export function attachGateway(server: Server, wsUrl: () => string, options: GatewayOptions): Gateway {
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41_250;
  const now = options.now ?? Date.now;
  const maxConcurrency = options.maxConcurrency ?? 1;
  const sessionStartLimit = options.sessionStartLimit ?? 1_000;
  const sessions = new Map<string, Session>();
  /** The newest session of each [id, count], keyed "id/count". */
  const current = new Map<string, Session>();
  const dispatched: Dispatched[] = [];
  const stats = { identifies: 0, resumes: 0, heartbeats: 0, connections: 0, refusedIdentifies: 0 };
  /** When each identify bucket may IDENTIFY again, and the IDENTIFYs inside the 24 h window. */
  const bucketOpensAt = new Map<number, number>();
  let starts: number[] = [];
  const wss = new WebSocketServer({ server, path: GATEWAY_PATH });

  const send = (socket: WebSocket | null, payload: unknown) => {
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };
  const push = (session: Session, t: string, d: Record<string, unknown>, record: boolean): Dispatched => {
    const event = { sessionId: session.id, shard: session.shard, s: ++session.seq, t, d };
    session.log.push(event);
    if (record) dispatched.push(event);
    send(session.socket, { op: 0, s: event.s, t, d });
    return event;
  };
  const covers = ([id, count]: Shard, guildId: string | null) => (guildId === null ? id === 0 : shardOf(guildId, count) === id);
  const targets = (shardId?: number) => [...current.values()].filter((s) => shardId === undefined || s.shard[0] === shardId);
  const startsInWindow = () => {
    starts = starts.filter((at) => at > now() - SESSION_LIMIT_WINDOW_MS);
    return starts;
  };

  const identify = (socket: WebSocket, d: Record<string, unknown>): Session | null => {
    const shard = parseShard(d.shard);
    if (!shard) {
      socket.close(4010, "Invalid shard.");
      return null;
    }
    const guilds = options.guilds().filter((g) => covers(shard, String(g.id)));
    if (guilds.length > MAX_GUILDS_PER_SHARD) {
      socket.close(4011, "Sharding required.");
      return null;
    }
    if (startsInWindow().length >= sessionStartLimit) {
      socket.close(4004, "Authentication failed.");
      return null;
    }
    const bucket = shard[0] % maxConcurrency;
    if ((bucketOpensAt.get(bucket) ?? 0) > now()) {
      stats.refusedIdentifies++;
      send(socket, { op: 9, d: false });
      return null;
    }
    bucketOpensAt.set(bucket, now() + IDENTIFY_WINDOW_MS);
    starts.push(now());
    stats.identifies++;
    const session: Session = { id: randomBytes(16).toString("hex"), shard, startedAt: now(), seq: 0, log: [], socket, resumable: true };
    sessions.set(session.id, session);
    current.set(shard.join("/"), session);
    push(session, "READY", {
      v: 10,
      user: options.botUser(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: wsUrl(),
      shard,
      application: { id: options.botUser().id, flags: 0 },
    }, false);
    for (const guild of guilds) push(session, "GUILD_CREATE", guild, true);
    return session;
  };

  const resume = (socket: WebSocket, d: Record<string, unknown>): Session | null => {
    stats.resumes++;
    const session = sessions.get(String(d.session_id));
    if (!session || !session.resumable) {
      send(socket, { op: 9, d: false });
      return null;
    }
    session.socket = socket;
    current.set(session.shard.join("/"), session);
    for (const event of session.log) {
      if (event.s > Number(d.seq)) send(socket, { op: 0, s: event.s, t: event.t, d: event.d });
    }
    push(session, "RESUMED", {}, false);
    return session;
  };

  wss.on("connection", (socket) => {
    stats.connections++;
    let attached: Session | null = null;
    send(socket, { op: 10, d: { heartbeat_interval: heartbeatInterval } });
    socket.on("close", () => {
      if (attached?.socket === socket) attached.socket = null;
    });
    socket.on("message", (raw) => {
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | number | null };
      if (op === 1) {
        stats.heartbeats++;
        send(socket, { op: 11 });
      } else if (op === 2 && typeof d === "object" && d) {
        attached = identify(socket, d) ?? attached;
      } else if (op === 6 && typeof d === "object" && d) {
        attached = resume(socket, d) ?? attached;
      }
    });
  });

  return {
    dispatched,
    stats,
    dispatch(t, d, happenedAt) {
      const guildId = guildOf(t, d);
      let delivered: Dispatched | null = null;
      for (const session of current.values()) {
        if (!covers(session.shard, guildId) || (happenedAt !== undefined && happenedAt < session.startedAt)) continue;
        const event = push(session, t, d, true);
        delivered ??= event;
      }
      return delivered;
    },
    gatewayBot() {
      const window = startsInWindow();
      return {
        url: wsUrl(),
        shards: Math.max(1, Math.ceil(options.guilds().length / GUILDS_PER_RECOMMENDED_SHARD)),
        session_start_limit: {
          total: sessionStartLimit,
          remaining: Math.max(0, sessionStartLimit - window.length),
          reset_after: window.length > 0 ? window[0]! + SESSION_LIMIT_WINDOW_MS - now() : SESSION_LIMIT_WINDOW_MS,
          max_concurrency: maxConcurrency,
        },
      };
    },
    connected: (shardId) => {
      const sessions = targets(shardId);
      return sessions.length > 0 && sessions.every((s) => s.socket?.readyState === 1);
    },
    reconnect(shardId) {
      for (const session of targets(shardId)) send(session.socket, { op: 7, d: null });
    },
    invalidateSession(resumable, shardId) {
      for (const session of targets(shardId)) {
        session.resumable = resumable;
        send(session.socket, { op: 9, d: resumable });
      }
    },
    dropConnection(shardId) {
      for (const session of targets(shardId)) session.socket?.terminate();
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
