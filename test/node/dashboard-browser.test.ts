/**
 * The web dashboard in a real browser: Debian's chromium, driven by
 * playwright-core, against `wrangler dev` with the test Postgres. A valid
 * link shows the chart and the tables; a forged one gets 401.
 * UPDATE_SCREENSHOTS=1 refreshes docs/dashboard.png for the README.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM, chromiumAvailable as available, ROOT, startBrowserWorker, type BrowserWorker } from "./support/browser";
import type { LocalWorker } from "../../scripts/lib/local-worker";
import { signLink } from "../../worker/dashboard/token";

const BOT_TOKEN = "dashboard-browser-test";
if (!available) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!available)("the dashboard in chromium (Debian package chromium)", () => {
  let worker: LocalWorker;
  let context: BrowserContext;
  let browser: BrowserWorker;
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  const guildId = String(((BigInt(Date.now()) - 1420070400000n) << 22n) + 77n);

  beforeAll(async () => {
    await client.connect();
    // Thirty days of joins from four sources and a few inviters, some of whom left.
    const { rows } = await client.query<{ id: number }>(
      "insert into invite_sources (guild_id, name) select $1, unnest(array['Reddit Battlefield6', 'Discord server list', 'YouTube', 'Friends']) returning id",
      [guildId],
    );
    await client.query(
      `insert into invites (code, guild_id, inviter_id, source_id)
       select 'dash' || i || $1, $1, (200000000000000000 + i)::text, ($2::int[])[1 + i % 4] from generate_series(0, 5) i`,
      [guildId, rows.map((r) => r.id)],
    );
    await client.query(
      `insert into invite_joins (guild_id, user_id, joined_at, invite_code, source_id, method)
       select $1, (300000000000000000 + n * 4194304000)::text, now() - (n % 30) * interval '1 day' - (n % 7) * interval '1 hour',
              case when n % 9 = 0 then null else 'dash' || ((n / 7) % 6) || $1 end,
              case when n % 9 = 0 then null else ($2::int[])[1 + ((n / 7) % 6) % 4] end,
              case when n % 9 = 0 then 'unresolved' else 'diff' end
         from generate_series(1, 400) n`,
      [guildId, rows.map((r) => r.id)],
    );
    await client.query(
      `insert into members (guild_id, user_id, joined_at, left_at)
       select guild_id, user_id, joined_at, case when id % 5 = 0 then now() end from invite_joins where guild_id = $1`,
      [guildId],
    );
    browser = await startBrowserWorker("inviters", BOT_TOKEN, { viewport: { width: 1100, height: 900 } });
    ({ worker, context } = browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.stop();
    await client.end();
  });

  it("shows the chart and the tables with a valid link, and 401 with a forged one", async () => {
    const token = await signLink(BOT_TOKEN, { guildId, adminId: "200000000000000001", expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    const page = await context.newPage();
    const response = await page.goto(`${worker.url}/dashboard?t=${token}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("h1").textContent()).toBe("Where members come from");
    expect(await page.evaluate("document.scripts.length")).toBe(0);
    // The chart: an SVG with stacked bars, drawn at a real size.
    const chart = await page.locator("#joins-chart svg").boundingBox();
    expect(chart!.width).toBeGreaterThan(600);
    expect(await page.locator("#joins-chart rect.bar").count()).toBeGreaterThan(30);
    expect(await page.locator("#sources tbody tr").count()).toBe(5);
    expect(await page.locator("#sources tbody tr").first().locator("td").first().textContent()).toMatch(/Reddit Battlefield6|Discord server list|YouTube|Friends/);
    expect(await page.locator("#inviters tbody tr").count()).toBe(6);
    expect(await page.locator("#csv").getAttribute("href")).toBe(`/dashboard/export.csv?t=${token}`);
    const shot = await page.screenshot({ fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS) fs.writeFileSync(path.join(ROOT, "docs", "dashboard.png"), shot);

    const forged = token.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    const refused = await page.goto(`${worker.url}/dashboard?t=${forged}`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator("h1").textContent()).toBe("This link is not valid");
    expect(await page.locator("body").textContent()).toContain("/invite dashboard");
  }, 60_000);
});
