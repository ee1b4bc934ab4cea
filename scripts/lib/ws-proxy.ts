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
  const server = http.createServer((req, res) => {
    // Tests simulate a database outage here: `POST /_control/outage?down=1` drops every
    // connection and refuses new ones until `?down=0`.
    if (options.outageControl && req.method === "POST" && req.url?.startsWith("/_control/outage")) {
      down = new URL(req.url, "http://proxy").searchParams.get("down") === "1";
      if (down) for (const client of wss.clients) client.terminate();
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
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    socket.on("message", (data: Buffer) => (open ? tcp.write(data) : pending.push(data)));
    tcp.on("data", (data) => socket.send(data));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
    socket.on("close", () => tcp.destroy());
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
