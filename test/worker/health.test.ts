import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports that the database answers", async () => {
    const response = await exports.default.fetch("https://bot.test/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; database: { ok: boolean; latency_ms: number } };
    expect(body.ok).toBe(true);
    expect(body.database.ok).toBe(true);
  });

  it("answers unknown paths with 404 JSON", async () => {
    const response = await exports.default.fetch("https://bot.test/nope");
    expect(response.status).toBe(404);
  });
});

describe("GET /health while the database is down", () => {
  it("answers 503 and says the database does not answer", async () => {
    const { databaseOutage } = await import("./support/relay");
    await databaseOutage(true);
    try {
      const response = await exports.default.fetch("https://bot.test/health");
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ok: false, database: { ok: false } });
    } finally {
      await databaseOutage(false);
    }
  });
});

describe("GET /health/guilds/:id", () => {
  it("reports a guild's pipeline to a request signed as the relay signs, and refuses what is not a guild id", async () => {
    const { guildHealth } = await import("./support/relay");
    const response = await guildHealth("123456789012345678");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, guild: "123456789012345678", pendingJoins: 0, outboxDepth: 0, deadLetters: 0 });
    expect((await exports.default.fetch("https://bot.test/health/guilds/..%2Fadmin")).status).toBe(400);
  });

  it("tells anyone else only whether the guild is ok: no figures, no live timing", async () => {
    const response = await exports.default.fetch("https://bot.test/health/guilds/123456789012345678");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, guild: "123456789012345678" });
  });

  it("refuses a wrong signature, or one made for another guild's path, with 401", async () => {
    const { guildHealth } = await import("./support/relay");
    const { signRelay } = await import("../../bench/lib/relay-fuzz");
    expect((await guildHealth("123456789012345678", { secret: "not-the-relay-secret" })).status).toBe(401);
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signRelay(env.RELAY_SECRET, "/health/guilds/123456789012345678", timestamp);
    const elsewhere = await exports.default.fetch("https://bot.test/health/guilds/123456789012345679", {
      headers: { "X-Relay-Timestamp": String(timestamp), "X-Relay-Signature": signature },
    });
    expect(elsewhere.status).toBe(401);
  });
});
