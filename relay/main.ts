import { ConfigError, loadConfig } from "./config.ts";
import { createLogger, isLogLevel } from "./log.ts";
import { guildOf, type RelayEvent } from "./mapping.ts";
import { startRelay } from "./relay.ts";
import { Spool, SpoolLockedError, SpoolShardsError } from "./spool.ts";

/**
 * `npm run relay` runs the relay; `npm run relay -- requeue-parked` moves
 * parked events back to the queue once their cause (e.g. a wrong
 * RELAY_SECRET) is fixed; run it while the relay is stopped.
 */
const level = process.env.RELAY_LOG_LEVEL ?? "info";
const log = createLogger(isLogLevel(level) ? level : "info");

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (process.argv[2] === "requeue-parked") {
    const spool = await Spool.open(config.spoolPath);
    const moved = await spool.requeueParked((body) => guildOf(JSON.parse(body) as RelayEvent));
    await spool.close();
    log.info("parked events requeued", { moved });
    return;
  }
  const relay = await startRelay(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("signal received", { signal });
    relay.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("unclean shutdown", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof SpoolLockedError || error instanceof SpoolShardsError;
  log.error(known ? error.message : "relay failed to start", { error });
  process.exit(1);
});
