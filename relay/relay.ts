import { REST } from "@discordjs/rest";
import {
  CloseCodes,
  WebSocketManager,
  WebSocketShardEvents,
  WebSocketShardStatus,
  type SessionInfo,
} from "@discordjs/ws";
import { GatewayIntentBits } from "discord-api-types/v10";
import { restEndpoint, type RelayConfig } from "./config.ts";
import { Forwarder } from "./forwarder.ts";
import { startHealthServer, type HealthReport } from "./health.ts";
import type { Logger } from "./log.ts";
import { guildOf, toRelayEvent, type DispatchPayload } from "./mapping.ts";
import { Spool } from "./spool.ts";

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
  log.info("spool opened", { path: config.spoolPath, depth: spool.depth(), parked: spool.parkedCount() });
  const forwarder = new Forwarder(spool, { ...config, log });
  forwarder.start();

  // The library keeps the live session here; the spool keeps the durable copy, advanced only with the events it covers.
  const sessions = new Map<number, SessionInfo>(spool.sessions);
  // One write chain per shard keeps spool writes in gateway order.
  const chains = new Map<number, Promise<void>>();
  let stopping = false;
  const fatal = (error: unknown) => {
    log.error("spool write failed; exiting so the supervisor restarts the relay", { error });
    process.exit(1);
  };
  const enqueue = (shardId: number, work: () => Promise<void>) => {
    const next = (chains.get(shardId) ?? Promise.resolve()).then(work).catch(fatal);
    chains.set(shardId, next);
  };

  const rest = new REST(restEndpoint(config.apiBase)).setToken(config.token);
  const manager = new WebSocketManager({
    token: config.token,
    intents: INTENTS,
    rest,
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, info) => {
      if (info) {
        sessions.set(shardId, info);
        return;
      }
      sessions.delete(shardId);
      // On shutdown the library forgets the session, but Discord keeps it (we close with 4200): keep it to resume.
      if (!stopping) enqueue(shardId, () => spool.saveSession(shardId, null));
    },
  });

  manager.on(WebSocketShardEvents.Dispatch, (payload, shardId) => {
    if (stopping) return; // not persisted, so the next run's RESUME replays it
    const session = sessions.get(shardId);
    if (!session) {
      log.error("dispatch without a session; it cannot be given a stable id", { shardId, t: payload.t });
      return;
    }
    const { t, s, d } = payload as DispatchPayload;
    const durable: SessionInfo = { ...session, sequence: s };
    enqueue(shardId, async () => {
      const event = toRelayEvent({ t, s, d }, session.sessionId);
      if (!event) return spool.saveSession(shardId, durable);
      const guild = guildOf(event);
      await spool.append(guild, JSON.stringify(event), shardId, durable);
      log.debug("event spooled", { id: event.id, t, guild });
      forwarder.notify(guild);
    });
  });
  manager.on(WebSocketShardEvents.Ready, (data, shardId) =>
    log.info("gateway ready", { shardId, sessionId: data.session_id, guilds: data.guilds.length }),
  );
  manager.on(WebSocketShardEvents.Resumed, (shardId) => log.info("gateway resumed", { shardId }));
  manager.on(WebSocketShardEvents.Closed, (code, shardId) => log.warn("gateway closed", { shardId, code }));
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
      gateway: { connected, shards },
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
      // Any close code but 1000/1001 leaves the session resumable on Discord's side.
      await manager.destroy({ code: CloseCodes.Resuming, reason: "relay shutting down" });
      await Promise.all(chains.values());
      await forwarder.stop(config.shutdownGraceMs);
      await new Promise<void>((resolve) => health.server.close(() => resolve()));
      await spool.close();
      log.info("stopped", { depth: spool.depth(), parked: spool.parkedCount() });
    },
  };
}
