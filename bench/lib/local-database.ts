import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLocalPostgres } from "../../scripts/lib/local-postgres";
import { runMigrations } from "../../scripts/lib/migrate";
import { startWsProxy } from "../../scripts/lib/ws-proxy";

/** A migrated Postgres for a bench (DATABASE_URL, or a throwaway embedded one) plus the Neon WebSocket proxy. */
export async function benchDatabase() {
  let stopPostgres = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invites-bench-pg-"));
    fs.chmodSync(dir, 0o777);
    const local = await startLocalPostgres({ dataDir: path.join(dir, "data"), persistent: false });
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
