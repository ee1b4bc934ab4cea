/**
 * What the browser tests share: `wrangler dev` against the test Postgres and
 * the fake Discord, and Debian's chromium (driven by playwright-core) with a
 * fresh profile. Without /usr/bin/chromium the tests skip (`.ci/run` installs it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { inject } from "vitest";
import { freePort } from "../../../scripts/lib/free-port";
import { FAKE_CLIENT_SECRET } from "../../../simulator/oauth";
import { startLocalWorker, type LocalWorker } from "../../../scripts/lib/local-worker";

export const CHROMIUM = "/usr/bin/chromium";
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const chromiumAvailable = fs.existsSync(CHROMIUM);

export interface BrowserWorker {
  worker: LocalWorker;
  context: BrowserContext;
  /** Closes the browser and the Worker and removes their state. */
  stop(): Promise<void>;
}

type ContextOptions = Pick<NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>, "viewport" | "deviceScaleFactor" | "isMobile" | "hasTouch">;

export async function startBrowserWorker(name: string, botToken: string, contextOptions: ContextOptions): Promise<BrowserWorker> {
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  // Known before the Worker starts: "Join with Discord" sends Discord its ${PUBLIC_URL}/oauth/callback.
  const port = await freePort();
  const fakeOrigin = new URL(inject("discordApiBase")).origin;
  const worker = await startLocalWorker({
    port,
    persistTo: tmp(`${name}-browser-do-`),
    vars: {
      DATABASE_URL: inject("databaseUrl"),
      DATABASE_WS_PROXY: inject("wsProxy"),
      DISCORD_API_BASE: inject("discordApiBase"),
      DISCORD_BOT_TOKEN: botToken,
      DISCORD_PUBLIC_KEY: "0".repeat(64),
      DISCORD_APPLICATION_ID: "100000000000000001",
      RELAY_SECRET: "browser-test-relay-secret",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DISCORD_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      DISCORD_OAUTH_AUTHORIZE_URL: `${fakeOrigin}/oauth2/authorize`,
    },
  });
  const context = await chromium.launchPersistentContext(tmp(`${name}-chromium-`), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...contextOptions,
  });
  return {
    worker,
    context,
    stop: async () => {
      await context.close();
      await worker.stop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
