import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { RelayConfig } from "../../../relay/config.ts";
import { FORWARDED_EVENTS } from "../../../relay/mapping.ts";
import type { FakeGateway } from "./fake-gateway.ts";
import type { FakeTarget } from "./target.ts";

export const SECRET = "test-relay-secret-0123456789";

export function tempSpool(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), "relay-spool-")), "spool");
}

/** Relay settings with test-sized timings, as an environment (for child processes) */
export function relayEnv(gateway: FakeGateway, target: FakeTarget, spoolPath: string): Record<string, string> {
  return {
    DISCORD_BOT_TOKEN: "test-bot-token",
    DISCORD_API_BASE: gateway.apiBase,
    RELAY_TARGET_URL: target.url,
    RELAY_SECRET: SECRET,
    RELAY_SPOOL_PATH: spoolPath,
    RELAY_HEALTH_PORT: "0",
    RELAY_BACKOFF_BASE_MS: "20",
    RELAY_BACKOFF_MAX_MS: "200",
    RELAY_SHUTDOWN_GRACE_MS: "1000",
    RELAY_LOG_LEVEL: "warn",
  };
}

export function testConfig(gateway: FakeGateway, target: FakeTarget, spoolPath: string): RelayConfig {
  return {
    token: "test-bot-token",
    apiBase: gateway.apiBase,
    targetUrl: target.url,
    secret: SECRET,
    shards: null,
    spoolPath,
    healthHost: "127.0.0.1",
    healthPort: 0,
    backoff: { baseMs: 20, maxMs: 200 },
    concurrency: 4,
    requestTimeoutMs: 2_000,
    shutdownGraceMs: 1_000,
    logLevel: "warn",
  };
}

export function forwardedIds(gateway: FakeGateway): string[] {
  return gateway.dispatched.filter((e) => FORWARDED_EVENTS.has(e.t)).map((e) => `${e.sessionId}:${e.s}`);
}

const guildOf = (e: { t: string; d: Record<string, unknown> }) => String(e.t === "GUILD_CREATE" ? e.d.id : e.d.guild_id);

/** Every forwarded dispatch reached the target exactly once (by id), and each guild's in dispatch order. */
export function expectDeliveredInOrder(gateway: FakeGateway, target: FakeTarget): void {
  const expected = gateway.dispatched.filter((e) => FORWARDED_EVENTS.has(e.t));
  expect(target.accepted.map((e) => e.id).sort()).toEqual(forwardedIds(gateway).sort());
  const byGuild = (events: { id: string; guild: string }[]) => {
    const map = new Map<string, string[]>();
    for (const { id, guild } of events) map.set(guild, [...(map.get(guild) ?? []), id]);
    return map;
  };
  expect(byGuild(target.accepted.map((e) => ({ id: e.id, guild: guildOf(e) })))).toEqual(
    byGuild(expected.map((e) => ({ id: `${e.sessionId}:${e.s}`, guild: guildOf(e) }))),
  );
  expect(target.badSignatures).toBe(0);
}

export function memberAdd(guildId: string, userId: number): Record<string, unknown> {
  return { guild_id: guildId, user: { id: String(userId), username: `u${userId}` }, joined_at: new Date().toISOString(), roles: [] };
}
