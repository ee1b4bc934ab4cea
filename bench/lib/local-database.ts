import { startThrowawayPostgres } from "../../scripts/lib/postgres-process";
import { runMigrations } from "../../scripts/lib/migrate";
import { startWsProxy } from "../../scripts/lib/ws-proxy";

/** A migrated Postgres for a bench (DATABASE_URL, or a throwaway embedded one) plus the Neon WebSocket proxy. */
export async function benchDatabase() {
  let stopPostgres = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const local = await startThrowawayPostgres();
    url = local.url;
    stopPostgres = local.stop;
  }
  await runMigrations(url);
  const proxy = await startWsProxy();
  return {
    url,
    wsProxy: proxy.address,
    async stop() {
      await proxy.close();
      await stopPostgres();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}
