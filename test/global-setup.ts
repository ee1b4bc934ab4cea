import { createPrivateKey } from "node:crypto";
import type { TestProject } from "vitest/node";
import { generateInteractionKeys } from "../scripts/lib/interactions";
import { startMigratedDatabase } from "../scripts/lib/migrated-database";
import { startFakeDiscord } from "../simulator/server";

/**
 * Starts what the tests talk to: a real Postgres (embedded unless
 * DATABASE_URL is set), the WebSocket proxy the Neon driver uses to reach it,
 * and the fake Discord. Each test file uses its own guild ids, so they share them.
 */
export default async function setup(project: TestProject) {
  const database = await startMigratedDatabase({ outageControl: true });
  const discord = await startFakeDiscord();

  const keys = generateInteractionKeys();

  project.provide("databaseUrl", database.url);
  project.provide("wsProxy", database.wsProxy);
  project.provide("discordApiBase", discord.apiBase);
  project.provide("discordPublicKey", keys.publicKeyHex);
  project.provide("discordPrivateKeyJwk", createPrivateKey(keys.privateKeyPem).export({ format: "jwk" }) as Record<string, unknown>);

  return async () => {
    await discord.close();
    await database.stop();
  };
}
