import { describe, expect, it } from "vitest";
import { heartbeatDue } from "../../cron/heartbeat";

const PERIOD = 5 * 60_000;
const HOUR = Date.parse("2026-11-24T03:00:00Z");
// Guild ids minted a millisecond apart, and far apart.
const guilds = Array.from({ length: 240 }, (_, i) => String((BigInt(1_700_000_000_000 + i * 997 - 1_420_070_400_000) << 22n) | 5n));

describe("heartbeatDue", () => {
  it.each([0, 1, 7, 239])("gives guild %i exactly one of the hour's twelve reconcile periods", (index) => {
    const due = Array.from({ length: 12 }, (_, k) => heartbeatDue(guilds[index]!, HOUR + k * PERIOD + 1_000));
    expect(due.filter(Boolean)).toHaveLength(1);
    // The same period of the next hour.
    expect(heartbeatDue(guilds[index]!, HOUR + 3_600_000 + due.indexOf(true) * PERIOD)).toBe(true);
  });

  it("spreads guilds evenly over the hour", () => {
    const perPeriod = Array.from({ length: 12 }, (_, k) => guilds.filter((g) => heartbeatDue(g, HOUR + k * PERIOD)).length);
    expect(perPeriod.reduce((a, b) => a + b)).toBe(guilds.length);
    expect(Math.max(...perPeriod) - Math.min(...perPeriod)).toBeLessThanOrEqual(guilds.length / 12);
  });
});
