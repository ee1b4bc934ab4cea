import type { BackoffPolicy } from "./backoff.ts";
import { isLogLevel, type LogLevel } from "./log.ts";
import { describeShardFailure, isShardFailure, selectShards, shardRangeLabel, type ShardSelection } from "./shards.ts";

/** Everything the relay reads from the environment, validated once at start. */
export interface RelayConfig {
  token: string;
  targetUrl: string;
  secret: string;
  /** The shards this process holds; null: every shard Discord recommends, in this one process. */
  shards: ShardSelection | null;
  spoolPath: string;
  healthHost: string;
  /** 0 picks a free port (tests); the chosen port is logged. */
  healthPort: number;
  /** REST base including the version, e.g. https://discord.com/api/v10; the gateway URL comes from its /gateway/bot. */
  apiBase: string;
  backoff: BackoffPolicy;
  /** How many guilds are forwarded in parallel; one guild is always sequential. */
  concurrency: number;
  requestTimeoutMs: number;
  /** How long SIGTERM waits for in-flight forwards before closing the spool. */
  shutdownGraceMs: number;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid relay configuration: ${problems.join("; ")}`);
  }
}

export function loadConfig(env: Record<string, string | undefined>): RelayConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? "";
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, value: string): string => {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") problems.push(`${name} must be http(s)`);
    } catch {
      problems.push(`${name} is not a URL: ${JSON.stringify(value)}`);
    }
    return value;
  };

  const token = required("DISCORD_BOT_TOKEN");
  const targetUrl = url("RELAY_TARGET_URL", required("RELAY_TARGET_URL"));
  const secret = required("RELAY_SECRET");
  if (secret && secret.length < 16) problems.push("RELAY_SECRET must be at least 16 characters");
  const apiBase = url("DISCORD_API_BASE", env.DISCORD_API_BASE?.trim() || "https://discord.com/api/v10");
  if (!/\/v\d+\/?$/.test(apiBase)) problems.push("DISCORD_API_BASE must end in /v<version>, e.g. /api/v10");
  const logLevel = env.RELAY_LOG_LEVEL?.trim() || "info";
  const selected = selectShards(env.RELAY_SHARD_COUNT, env.RELAY_SHARD_IDS);
  if (isShardFailure(selected)) problems.push(describeShardFailure(selected));
  const shards = isShardFailure(selected) ? null : selected;
  // A process holding a range runs beside others on the host: its spool defaults to one per range, and its
  // health port must be chosen (a shared default would make the second process fail to listen).
  const ranged = Boolean(env.RELAY_SHARD_IDS?.trim());
  if (ranged && !env.RELAY_HEALTH_PORT?.trim()) {
    problems.push("RELAY_HEALTH_PORT is required with RELAY_SHARD_IDS: each relay process needs its own health port");
  }
  const defaultSpool = ranged && shards ? `.data/relay-spool-shards-${shardRangeLabel(shards)}` : ".data/relay-spool";
  if (!isLogLevel(logLevel)) problems.push("RELAY_LOG_LEVEL must be debug, info, warn or error");

  const config: RelayConfig = {
    token,
    targetUrl,
    secret,
    shards,
    spoolPath: env.RELAY_SPOOL_PATH?.trim() || defaultSpool,
    healthHost: env.RELAY_HEALTH_HOST?.trim() || "127.0.0.1",
    healthPort: integer("RELAY_HEALTH_PORT", 8788, 0, 65535),
    apiBase,
    backoff: {
      baseMs: integer("RELAY_BACKOFF_BASE_MS", 500, 1, 3_600_000),
      maxMs: integer("RELAY_BACKOFF_MAX_MS", 30_000, 1, 3_600_000),
    },
    concurrency: integer("RELAY_CONCURRENCY", 16, 1, 1024),
    requestTimeoutMs: integer("RELAY_REQUEST_TIMEOUT_MS", 10_000, 100, 600_000),
    shutdownGraceMs: integer("RELAY_SHUTDOWN_GRACE_MS", 5_000, 0, 600_000),
    logLevel: isLogLevel(logLevel) ? logLevel : "info",
  };
  if (config.backoff.maxMs < config.backoff.baseMs) problems.push("RELAY_BACKOFF_MAX_MS must be ≥ RELAY_BACKOFF_BASE_MS");
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Splits https://discord.com/api/v10 into what @discordjs/rest wants: api base and version. */
export function restEndpoint(apiBase: string): { api: string; version: string } {
  const match = /^(.*)\/v(\d+)\/?$/.exec(apiBase);
  if (!match) throw new ConfigError([`DISCORD_API_BASE must end in /v<version>: ${apiBase}`]);
  return { api: match[1]!, version: match[2]! };
}
