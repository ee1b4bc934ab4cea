import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A Discord gateway in miniature, for one shard: GET /api/v10/gateway/bot, then
 * over WebSocket HELLO, IDENTIFY → READY (+ GUILD_CREATE per guild), DISPATCH
 * with increasing `s`, HEARTBEAT → HEARTBEAT_ACK, RESUME → replay of the missed
 * dispatches then RESUMED, and on demand RECONNECT (op 7) and INVALID_SESSION (op 9).
 * Like Discord, it keeps a session's dispatches while no client is attached
 * and replays them on RESUME; a fresh IDENTIFY starts a new session.
 */
export interface Dispatched {
  sessionId: string;
  s: number;
  t: string;
  d: Record<string, unknown>;
}

interface Session {
  id: string;
  seq: number;
  log: Dispatched[];
  socket: WebSocket | null;
  resumable: boolean;
}

export interface FakeGateway {
  apiBase: string;
  /** Every dispatch ever made, in order (READY and RESUMED excluded). */
  dispatched: Dispatched[];
  stats: { identifies: number; resumes: number; heartbeats: number; connections: number };
  /** Dispatches to the newest session, live or not. */
  dispatch(t: string, d: Record<string, unknown>): Dispatched;
  connected(): boolean;
  reconnect(): void;
  invalidateSession(resumable: boolean): void;
  /** Drops the TCP connection without a close frame, like a network failure. */
  dropConnection(): void;
  close(): Promise<void>;
}

export async function startFakeGateway(options: { heartbeatIntervalMs?: number; guilds?: string[] } = {}): Promise<FakeGateway> {
  const heartbeatInterval = options.heartbeatIntervalMs ?? 1_000;
  const guilds = options.guilds ?? [];
  const sessions = new Map<string, Session>();
  let current: Session | null = null;
  const dispatched: Dispatched[] = [];
  const stats = { identifies: 0, resumes: 0, heartbeats: 0, connections: 0 };

  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/api/v10/gateway/bot") {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          url: wsUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const wsUrl = `ws://127.0.0.1:${port}`;

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
        stats.identifies++;
        const session: Session = { id: randomBytes(16).toString("hex"), seq: 0, log: [], socket, resumable: true };
        sessions.set(session.id, session);
        current = attached = session;
        push(session, "READY", {
          v: 10,
          user: { id: "1", username: "relay-bot", discriminator: "0", global_name: null, avatar: null },
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: wsUrl,
          shard: [0, 1],
          application: { id: "1", flags: 0 },
        }, false);
        for (const id of guilds) push(session, "GUILD_CREATE", guildCreate(id), true);
      } else if (op === 6 && typeof d === "object" && d) {
        stats.resumes++;
        const session = sessions.get(String(d.session_id));
        if (!session || !session.resumable) {
          send(socket, { op: 9, d: false });
          return;
        }
        session.socket = socket;
        current = attached = session;
        for (const event of session.log) {
          if (event.s > Number(d.seq)) send(socket, { op: 0, s: event.s, t: event.t, d: event.d });
        }
        push(session, "RESUMED", {}, false);
      }
    });
  });

  return {
    apiBase: `http://127.0.0.1:${port}/api/v10`,
    dispatched,
    stats,
    dispatch(t, d) {
      if (!current) throw new Error("no session yet");
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A realistic GUILD_CREATE: the relay must pass on only id, features and vanity code. */
export function guildCreate(id: string): Record<string, unknown> {
  return {
    id,
    name: `guild ${id}`,
    features: ["VANITY_URL", "COMMUNITY"],
    vanity_url_code: `v${id}`,
    member_count: 3,
    members: [{ user: { id: "2" } }, { user: { id: "3" } }],
    channels: [{ id: "9", type: 0 }],
  };
}
