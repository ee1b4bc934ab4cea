import { runMigrations } from "./migrate";
import { startThrowawayPostgres } from "./postgres-process";
import { startWsProxy } from "./ws-proxy";

export interface MigratedDatabase {
  url: string;
  /** host:port of the WebSocket→TCP proxy (DATABASE_WS_PROXY). */
  wsProxy: string;
  /** The server's log, when it is the throwaway Postgres started here. */
  logFile?: string;
  stop(): Promise<void>;
}

/**
 * What tests and benches run against: DATABASE_URL, or a throwaway embedded
 * Postgres, migrated, plus the proxy the Neon driver reaches it through.
 */
export async function startMigratedDatabase(options: { outageControl?: boolean } = {}): Promise<MigratedDatabase> {
  const local = process.env.DATABASE_URL ? undefined : await startThrowawayPostgres();
  const url = process.env.DATABASE_URL ?? local!.url;
  await runMigrations(url);
  const proxy = await startWsProxy(options);
  return {
    url,
    wsProxy: proxy.address,
    logFile: local?.logFile,
    async stop() {
      await proxy.close();
      await local?.stop();
    },
  };
}
