/**
 * The simulator's Discord gateway, for one shard, on the REST server's port:
 * HELLO, IDENTIFY → READY (+ GUILD_CREATE per guild), DISPATCH with
 * increasing `s`, HEARTBEAT → HEARTBEAT_ACK, RESUME → replay of the missed
 * dispatches then RESUMED, and on demand RECONNECT (op 7) and INVALID_SESSION
 * (op 9). Like Discord, it keeps a session's dispatches while no client is
 * attached and replays them on RESUME; a fresh IDENTIFY starts a new session.
 * Intents are not checked: every dispatch goes to the session. A dispatch
 * that happened before the newest session began is lost, as on Discord: that
 * session's GUILD_CREATE already reflects it.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { WebSocket } from "ws";

// `ws` is CommonJS; require works in every runner (tsx, vitest, vitest globalSetup).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");

export interface Dispatched {
  sessionId: string;
  s: number;
  t: string;
  d: Record<string, unknown>;
}

interface Session {
  id: string;
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
  /** The clock dispatches' `happenedAt` is on. */
  now?: () => number;
}

export interface Gateway {
  /** Every dispatch ever made, in order (READY and RESUMED excluded). */
  dispatched: Dispatched[];
  stats: { identifies: number; resumes: number; heartbeats: number; connections: number };
  /**
   * Dispatches to the newest session, live or not; null before any IDENTIFY
   * (nobody to deliver to) or when it happened (`happenedAt`) before that session began.
   */
  dispatch(t: string, d: Record<string, unknown>, happenedAt?: number): Dispatched | null;
  connected(): boolean;
  reconnect(): void;
  invalidateSession(resumable: boolean): void;
  /** Drops the TCP connection without a close frame, like a network failure. */
  dropConnection(): void;
  close(): Promise<void>;
}

export const GATEWAY_PATH = "/gateway";

/** Serves the gateway at `wsUrl` (ws://host:port/gateway) on an existing HTTP server. */
export function attachGateway(server: Server, wsUrl: () => string, options: GatewayOptions): Gateway {
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41_250;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  let current: Session | null = null;
  const dispatched: Dispatched[] = [];
  const stats = { identifies: 0, resumes: 0, heartbeats: 0, connections: 0 };
  const wss = new WebSocketServer({ server, path: GATEWAY_PATH });

  const send = (socket: WebSocket | null, payload: unknown) => {
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };
  const push = (session: Session, t: string, d: Record<string, unknown>, record: boolean): Dispatched => {
    const event = { sessionId: session.id, s: ++session.seq, t, d };
    session.log.push(event);
    if (record) dispatched.push(event);
    send(session.socket, { op: 0, s: event.s, t, d });
    return event;
  };

  const identify = (socket: WebSocket): Session => {
    stats.identifies++;
    const session: Session = { id: randomBytes(16).toString("hex"), startedAt: now(), seq: 0, log: [], socket, resumable: true };
    sessions.set(session.id, session);
    current = session;
    const guilds = options.guilds();
    push(session, "READY", {
      v: 10,
      user: options.botUser(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: wsUrl(),
      shard: [0, 1],
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
    current = session;
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
      } else if (op === 2) {
        attached = identify(socket);
      } else if (op === 6 && typeof d === "object" && d) {
        attached = resume(socket, d) ?? attached;
      }
    });
  });

  return {
    dispatched,
    stats,
    dispatch(t, d, happenedAt) {
      if (!current || (happenedAt !== undefined && happenedAt < current.startedAt)) return null;
      return push(current, t, d, true);
    },
    connected: () => current?.socket?.readyState === 1,
    reconnect() {
      send(current?.socket ?? null, { op: 7, d: null });
    },
    invalidateSession(resumable) {
      if (!current) return;
      current.resumable = resumable;
      send(current.socket, { op: 9, d: resumable });
    },
    dropConnection() {
      current?.socket?.terminate();
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
