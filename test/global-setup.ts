import { generateKeyPairSync } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "../scripts/lib/postgres-process";
import { runMigrations } from "../scripts/lib/migrate";
import { startWsProxy } from "../scripts/lib/ws-proxy";
import { startFakeDiscord } from "../simulator/server";

/**
 * Starts what the tests talk to: a real Postgres (embedded unless
 * DATABASE_URL is set), the WebSocket proxy the Neon driver uses to reach it,
 * and the fake Discord. Each test file uses its own guild ids, so they share them.
 */
export default async function setup(project: TestProject) {
  const local = process.env.DATABASE_URL ? undefined : await startThrowawayPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? local!.url;
  await runMigrations(databaseUrl);
  const proxy = await startWsProxy({ outageControl: true });
  const discord = await startFakeDiscord();

  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const rawPublic = publicKey.export({ format: "der", type: "spki" }).subarray(-32);

  project.provide("databaseUrl", databaseUrl);
  project.provide("wsProxy", proxy.address);
  project.provide("discordApiBase", discord.apiBase);
  project.provide("discordPublicKey", rawPublic.toString("hex"));
  project.provide("discordPrivateKeyJwk", privateKey.export({ format: "jwk" }) as Record<string, unknown>);

  return async () => {
    await discord.close();
    await proxy.close();
    await local?.stop();
  };
}
