import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEvent {
  id: string;
  t: string;
  d: Record<string, unknown>;
}

/**
 * The Worker's `POST /relay/events` as the relay sees it: verifies the HMAC
 * and timestamp (401 otherwise), takes one event or a batch, answers 202 and dedupes by id, or answers
 * whatever `refuseWith` says (503 for an outage, 429, 400).
 */
export interface FakeTarget {
  url: string;
  /** First acceptance of each id, in acceptance order. */
  accepted: ReceivedEvent[];
  requests: number;
  /** The number of events in each request that reached the check of its events (1 for a single event). */
  sizes: number[];
  duplicates: number;
  badSignatures: number;
  refuseWith: { status: number; headers?: Record<string, string> } | null;
  /** Answers this status for matching events only (e.g. one guild whose Durable Object is broken). */
  refuseEvent: ((event: ReceivedEvent) => number | null) | null;
  close(): Promise<void>;
}

export async function startTarget(secret: string): Promise<FakeTarget> {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      target.requests++;
      if (target.refuseWith) {
        res.writeHead(target.refuseWith.status, target.refuseWith.headers).end("refused");
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(req.headers["x-relay-timestamp"] ?? "");
      const signature = Buffer.from(String(req.headers["x-relay-signature"] ?? ""), "hex");
      const expected = createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest();
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
      if (!fresh || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        target.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      // A batch is all or nothing, as in the Worker: one refused event refuses the request.
      const parsed = JSON.parse(raw) as ReceivedEvent | { events: ReceivedEvent[] };
      const events = "events" in parsed ? parsed.events : [parsed];
      target.sizes.push(events.length);
      const refused = events.map((event) => target.refuseEvent?.(event)).find((status) => status);
      if (refused) {
        res.writeHead(refused).end("refused");
        return;
      }
      for (const event of events) {
        if (seen.has(event.id)) target.duplicates++;
        else {
          seen.add(event.id);
          target.accepted.push(event);
        }
      }
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const target: FakeTarget = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/relay/events`,
    accepted: [],
    requests: 0,
    sizes: [],
    duplicates: 0,
    badSignatures: 0,
    refuseWith: null,
    refuseEvent: null,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return target;
}

/** Polls until `check` holds, or fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
