import { REST } from "@discordjs/rest";
import {
  WebSocketManager,
  WebSocketShardEvents,
  WebSocketShardStatus,
  type SessionInfo,
} from "@discordjs/ws";
import { GatewayIntentBits } from "discord-api-types/v10";
import { restEndpoint, type RelayConfig } from "./config.ts";
import { Forwarder } from "./forwarder.ts";
import { gatewayCloseLog, SHUTDOWN_CLOSE_CODE } from "./gateway-close.ts";
import { startHealthServer, type HealthReport } from "./health.ts";
import type { Logger } from "./log.ts";
import { guildOf, toRelayEvent, type DispatchPayload } from "./mapping.ts";
import { isPartial, shardIds, shardRangeLabel } from "./shards.ts";
import { ALL_SHARDS, Spool, type SpoolWrite } from "./spool.ts";

/** GUILD_MEMBERS is privileged: "Server Members Intent" must be enabled in the developer portal. */
export const INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildInvites;

export interface Relay {
  healthPort: number;
  spool: Spool;
  forwarder: Forwarder;
  /** Stops taking events, closes the gateway (keeping the session resumable), lets forwards settle, closes the spool. */
  stop(): Promise<void>;
}

export async function startRelay(config: RelayConfig, log: Logger): Promise<Relay> {
  const spool = await Spool.open(config.spoolPath);
  const shards = isPartial(config.shards) ? `${shardRangeLabel(config.shards)}/${config.shards.count}` : ALL_SHARDS;
  try {
    await spool.claimShards(shards);
  } catch (error) {
    await spool.close();
    throw error;
  }
  log.info("spool opened", { path: config.spoolPath, shards, depth: spool.depth(), parked: spool.parkedCount() });
  const forwarder = new Forwarder(spool, { ...config, log });
  forwarder.start();

  // The library keeps the live session here; the spool keeps the durable copy, advanced only with the events it covers.
  const sessions = new Map<number, SessionInfo>(spool.sessions);
  const writers = new Map<number, ShardWriter>();
  const writer = (shardId: number) => {
    let found = writers.get(shardId);
    if (!found) writers.set(shardId, (found = new ShardWriter(shardId, spool, forwarder, log)));
    return found;
  };
  let stopping = false;

  const rest = new REST(restEndpoint(config.apiBase)).setToken(config.token);
  const manager = new WebSocketManager({
    token: config.token,
    intents: INTENTS,
    rest,
    // Unset, the library asks GET /gateway/bot for the recommended count and holds every shard.
    ...(config.shards ? { shardCount: config.shards.count, shardIds: shardIds(config.shards) } : {}),
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, info) => {
      if (info) {
        sessions.set(shardId, info);
        return;
      }
      sessions.delete(shardId);
      // On shutdown the library forgets the session, but Discord keeps it (we close with 4200): keep it to resume.
      if (!stopping) writer(shardId).push({ session: null });
    },
  });

  manager.on(WebSocketShardEvents.Dispatch, (payload, shardId) => {
    if (stopping) return; // not persisted, so the next run's RESUME replays it
    const session = sessions.get(shardId);
    if (!session) {
      log.error("dispatch without a session; it cannot be given a stable id", { shardId, t: payload.t });
      return;
    }
    const durable: SessionInfo = { ...session, sequence: payload.s };
    const event = toRelayEvent(payload as DispatchPayload, session.sessionId, Date.now());
    writer(shardId).push(event ? { guild: guildOf(event), body: JSON.stringify(event), session: durable } : { session: durable });
  });
  manager.on(WebSocketShardEvents.Ready, (data, shardId) =>
    log.info("gateway ready", { shardId, sessionId: data.session_id, guilds: data.guilds.length }),
  );
  manager.on(WebSocketShardEvents.Resumed, (shardId) => log.info("gateway resumed", { shardId }));
  manager.on(WebSocketShardEvents.Closed, (code, shardId) => {
    const { level, msg, fields } = gatewayCloseLog(code, stopping);
    log[level](msg, { shardId, ...fields });
  });
  manager.on(WebSocketShardEvents.Error, (error, shardId) => log.error("gateway error", { shardId, error }));
  manager.on(WebSocketShardEvents.SocketError, (error, shardId) =>
    log.warn("gateway socket error", { shardId, error: String(error) }),
  );
  manager.on(WebSocketShardEvents.Debug, (message, shardId) => log.debug("gateway", { shardId, message }));

  const report = async (): Promise<HealthReport> => {
    const status = await manager.fetchStatus();
    const shards: Record<string, string> = {};
    for (const [id, value] of status) shards[id] = WebSocketShardStatus[value] ?? String(value);
    const connected = status.size > 0 && [...status.values()].every((value) => value === WebSocketShardStatus.Ready);
    return {
      ok: connected,
      gateway: { connected, shard_count: config.shards?.count ?? (await manager.getShardCount()), shards },
      spool: { depth: spool.depth(), parked: spool.parkedCount() },
      last_forward_at: forwarder.lastForwardAt?.toISOString() ?? null,
    };
  };
  const health = await startHealthServer(config.healthHost, config.healthPort, report);
  log.info("health listening", { host: config.healthHost, port: health.port });

  await manager.connect();

  return {
    healthPort: health.port,
    spool,
    forwarder,
    async stop() {
      stopping = true;
      log.info("shutting down");
      await manager.destroy({ code: SHUTDOWN_CLOSE_CODE, reason: "relay shutting down" });
      await Promise.all([...writers.values()].map((w) => w.idle()));
      await forwarder.stop(config.shutdownGraceMs);
      await new Promise<void>((resolve) => health.server.close(() => resolve()));
      await spool.close();
      log.info("stopped", { depth: spool.depth(), parked: spool.parkedCount() });
    },
  };
}

/**
 * Group commit of one shard's gateway events: what arrives while a write is in
 * flight goes into the next batch, in arrival order. One write per dispatch
 * would cap the relay at the disk's write latency; batching keeps order and
 * atomicity (each batch carries the session sequence that covers it).
 */
class ShardWriter {
  private queue: SpoolWrite[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly shardId: number,
    private readonly spool: Spool,
    private readonly forwarder: Forwarder,
    private readonly log: Logger,
  ) {}

  push(write: SpoolWrite): void {
    this.queue.push(write);
    this.running ??= this.flush();
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.spool.commit(this.shardId, batch);
        for (const write of batch) if ("guild" in write) this.forwarder.notify(write.guild);
      }
    } catch (error) {
      this.log.error("spool write failed; exiting so the supervisor restarts the relay", { error });
      process.exit(1);
    } finally {
      this.running = null;
    }
  }
}
