/**
 * `npm start` fires wrangler.toml's cron expressions on their schedule, as
 * Cloudflare does: the matcher (a table), the crons read from wrangler.toml,
 * and the runner on a fake clock.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireScheduled, runCrons } from "../../scripts/lib/cron-runner";
import { cronMatches, cronsInWranglerToml, parseCron, type Cron } from "../../scripts/lib/cron-schedule";

const cron = (expression: string): Cron => {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cron;
};

describe("cronMatches", () => {
  it.each([
    ["*/5 * * * *", "2026-12-03T03:25:00Z", true],
    ["*/5 * * * *", "2026-12-03T03:25:59Z", true],
    ["*/5 * * * *", "2026-12-03T03:26:00Z", false],
    ["0 * * * *", "2026-12-03T04:00:00Z", true],
    ["0 * * * *", "2026-12-03T04:05:00Z", false],
    ["30 3 * * *", "2026-12-03T03:30:00Z", true],
    ["30 3 * * *", "2026-12-03T04:30:00Z", false],
    ["0 9 * * 1", "2026-12-07T09:00:00Z", true], // a Monday
    ["0 9 * * 1", "2026-12-08T09:00:00Z", false],
    ["0 0 * * 7", "2026-12-06T00:00:00Z", true], // 7 is Sunday
    ["0 0 1 * 1", "2026-12-01T00:00:00Z", true], // both day fields: either one
    ["0 0 1 * 1", "2026-12-07T00:00:00Z", true],
    ["0 0 1 * 1", "2026-12-08T00:00:00Z", false],
    ["10-20/5 * * * *", "2026-12-03T03:15:00Z", true],
    ["10-20/5 * * * *", "2026-12-03T03:25:00Z", false],
    ["1,2,59 * * 12 *", "2026-12-03T03:59:00Z", true],
    ["1,2,59 * * 11 *", "2026-12-03T03:59:00Z", false],
  ])("%s at %s → %s", (expression, at, expected) => {
    expect(cronMatches(cron(expression), new Date(at))).toBe(expected);
  });
});

describe("parseCron", () => {
  it.each([
    ["* * * *", '"* * * *" has 4 fields, not 5'],
    ["60 * * * *", '"60 * * * *": minute "60" is outside 0-59'],
    ["* * * * MON", '"* * * * MON": day of week "MON" is not a number, a range, * or a step'],
    ["*/0 * * * *", '"*/0 * * * *": minute "*/0" is outside 0-59'],
  ])("%s: %s", (expression, reason) => {
    expect(parseCron(expression)).toEqual({ ok: false, reason });
  });
});

describe("cronsInWranglerToml", () => {
  it("reads the project's wrangler.toml", () => {
    const crons = cronsInWranglerToml(fs.readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8"));
    expect(crons).toEqual(["*/5 * * * *", "0 * * * *", "30 3 * * *"]);
    expect(crons.every((c) => parseCron(c).ok)).toBe(true);
  });

  it.each([
    ['name = "x"\n[triggers]\ncrons = [\n  # hourly\n  "0 * * * *",\n  \'*/10 * * * *\'\n]\n[vars]\ncrons = ["1 1 1 1 1"]\n', ["0 * * * *", "*/10 * * * *"]],
    ['name = "x"\n[vars]\ncrons = ["1 1 1 1 1"]\n', []],
    ["[triggers]\ncrons = []", []],
  ])("%j → %j", (toml, crons) => {
    expect(cronsInWranglerToml(toml)).toEqual(crons);
  });
});

describe("runCrons", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires each expression in each minute it matches, and goes on after a failure", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-03T03:24:30Z") });
    const fired: string[] = [];
    const errors: string[] = [];
    const runner = runCrons(["*/5 * * * *", "0 * * * *", "30 3 * * *"].map(cron), async (expression, scheduledTime) => {
      fired.push(`${new Date(scheduledTime).toISOString().slice(11, 16)} ${expression}`);
      if (fired.length === 1) throw new Error("wrangler dev is restarting");
    }, (expression, error) => errors.push(`${expression}: ${(error as Error).message}`));
    await vi.advanceTimersByTimeAsync(40 * 60_000);
    runner.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired).toEqual([
      "03:25 */5 * * * *",
      "03:30 */5 * * * *",
      "03:30 30 3 * * *",
      "03:35 */5 * * * *",
      "03:40 */5 * * * *",
      "03:45 */5 * * * *",
      "03:50 */5 * * * *",
      "03:55 */5 * * * *",
      "04:00 */5 * * * *",
      "04:00 0 * * * *",
    ]);
    expect(errors).toEqual(["*/5 * * * *: wrangler dev is restarting"]);
  });

  it("calls wrangler dev's /__scheduled with the expression and the scheduled time, and reports its failure", async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url!);
      res.writeHead(seen.length === 1 ? 200 : 500).end("boom");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fireScheduled(url, "*/5 * * * *", 1_796_000_000_000);
      await expect(fireScheduled(url, "0 * * * *", 1_796_000_000_000)).rejects.toThrow("GET /__scheduled answered 500: boom");
      expect(seen).toEqual(["/__scheduled?cron=*%2F5%20*%20*%20*%20*&time=1796000000000", "/__scheduled?cron=0%20*%20*%20*%20*&time=1796000000000"]);
    } finally {
      server.close();
    }
  });
});
