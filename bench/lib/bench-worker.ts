// The Worker's settings for a bench: the bench's own Postgres and Discord simulator, a
// relay secret, and placeholders for what no bench uses (interactions are not signed here).
import type { MigratedDatabase } from "../../scripts/lib/migrated-database";

export function benchWorkerVars(database: Pick<MigratedDatabase, "url" | "wsProxy">, discordApiBase: string, relaySecret: string) {
  return {
    DATABASE_URL: database.url,
    DATABASE_WS_PROXY: database.wsProxy,
    DISCORD_API_BASE: discordApiBase,
    DISCORD_BOT_TOKEN: "bench",
    RELAY_SECRET: relaySecret,
    DISCORD_PUBLIC_KEY: "0".repeat(64),
    DISCORD_APPLICATION_ID: "100000000000000001",
    PUBLIC_URL: "http://127.0.0.1",
  };
}
