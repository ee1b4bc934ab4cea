import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Two projects: Node tests (pure logic, relay, tools, fake Discord) and
// integration tests that run inside workerd against the Worker. One global
// setup starts Postgres, the WebSocket proxy and the fake Discord for both.
export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    projects: [
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                DATABASE_URL: inject("databaseUrl"),
                DATABASE_WS_PROXY: inject("wsProxy"),
                DISCORD_API_BASE: inject("discordApiBase"),
                DISCORD_PUBLIC_KEY: inject("discordPublicKey"),
                DISCORD_APPLICATION_ID: "100000000000000001",
                DISCORD_BOT_TOKEN: "test-bot-token",
                // The fake Discord's application (simulator/oauth.ts FAKE_CLIENT_SECRET) and its consent page.
                DISCORD_CLIENT_SECRET: "fake-client-secret",
                DISCORD_OAUTH_AUTHORIZE_URL: `${new URL(inject("discordApiBase")).origin}/oauth2/authorize`,
                RELAY_SECRET: "test-relay-secret",
                PUBLIC_URL: "https://invites.test",
                // A failed guild job is retried at once, not after 30 s (wrangler.toml).
                GUILD_JOBS_RETRY_DELAY_S: "0",
                // A raid alert is edited every second, not every 15 s (wrangler.toml).
                RAID_UPDATE_S: "1",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          // One file at a time: the database-outage test cuts Postgres off for everyone.
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
    ],
  },
});
