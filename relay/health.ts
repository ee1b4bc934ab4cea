import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HealthReport {
  ok: boolean;
  /** `shards`: the status of each shard this process holds, out of `shard_count`. */
  gateway: { connected: boolean; shard_count: number; shards: Record<string, string> };
  spool: { depth: number; parked: number };
  last_forward_at: string | null;
}

/**
 * `GET /healthz`: 200 when every shard is connected, 503 otherwise, with the
 * JSON report either way (a growing spool with a connected gateway means the
 * Worker is refusing; `parked` above zero needs an operator).
 */
export async function startHealthServer(
  host: string,
  port: number,
  report: () => Promise<HealthReport>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/healthz") {
      res.writeHead(404).end();
      return;
    }
    report().then(
      (body) => {
        res.writeHead(body.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
