import http from "node:http";
import net from "node:net";
import { createRequire } from "node:module";
import type { WebSocketServer as WebSocketServerType } from "ws";
import { freePort } from "./free-port";

// `ws` is CommonJS; loading it through require works in every runner (vitest globalSetup included).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");

export interface WsProxy {
  /** `host:port`, the value of DATABASE_WS_PROXY. */
  address: string;
  close(): Promise<void>;
}

/**
 * The WebSocket-to-TCP bridge the Neon serverless driver needs to reach a
 * plain Postgres: each WebSocket at `/v1?address=host:port` becomes one TCP
 * connection to that address. Local development and tests only.
 */
export async function startWsProxy(options: { port?: number; outageControl?: boolean } = {}): Promise<WsProxy> {
  const listenPort = options.port ?? (await freePort());
  let down = false;
  let frozen = false;
  /** While frozen, bytes wait here in both directions, as in a stopped server's socket buffers. */
  const held = new Set<{ flush(): void }>();
  const server = http.createServer((req, res) => {
    // Tests simulate database outages here: `POST /_control/outage?down=1` drops every
    // connection and refuses new ones until `?down=0`; `?freeze=1` keeps connections
    // open but lets no byte through (a frozen Postgres) until `?freeze=0`.
    if (options.outageControl && req.method === "POST" && req.url?.startsWith("/_control/outage")) {
      const params = new URL(req.url, "http://proxy").searchParams;
      if (params.has("down")) {
        down = params.get("down") === "1";
        if (down) for (const client of wss.clients) client.terminate();
      }
      if (params.has("freeze")) {
        frozen = params.get("freeze") === "1";
        if (!frozen) for (const pipe of held) pipe.flush();
      }
      res.writeHead(204).end();
      return;
    }
    res.writeHead(426).end("WebSocket only");
  });
  const wss: WebSocketServerType = new WebSocketServer({ server });
  wss.on("connection", (socket, request) => {
    if (down) {
      socket.terminate();
      return;
    }
    const target = new URL(request.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    const [host, portText] = target.split(":");
    // Only loopback targets: this proxy must never become an open relay.
    if (!/^(127\.\d+\.\d+\.\d+|localhost)$/.test(host ?? "") || !portText) {
      socket.close(1008, "address must be a loopback host:port");
      return;
    }
    const tcp = net.connect(Number(portText), host);
    const pending: Buffer[] = [];
    let open = false;
    tcp.on("connect", () => {
      open = true;
      toServer.flush();
    });
    const toServer = gate(held, () => frozen || !open, pending, (data) => tcp.write(data));
    const toClient = gate(held, () => frozen, [], (data) => socket.send(data));
    socket.on("message", (data: Buffer) => toServer.send(data));
    tcp.on("data", (data) => toClient.send(data));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
    socket.on("close", () => {
      tcp.destroy();
      held.delete(toServer);
      held.delete(toClient);
    });
    socket.on("error", () => tcp.destroy());
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${listenPort}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/** One direction of a connection: passes bytes on, or holds them (in order) while `closed()`. */
function gate(registry: Set<{ flush(): void }>, closed: () => boolean, queue: Buffer[], deliver: (data: Buffer) => void) {
  const pipe = {
    send(data: Buffer) {
      if (closed() || queue.length > 0) queue.push(data);
      else deliver(data);
    },
    flush() {
      while (queue.length > 0 && !closed()) deliver(queue.shift()!);
    },
  };
  registry.add(pipe);
  return pipe;
}
