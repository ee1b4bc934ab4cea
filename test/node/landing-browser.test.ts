/**
 * The invitation landing page in a real browser: Debian's chromium, driven by
 * playwright-core, against `wrangler dev` with the test Postgres and the fake
 * Discord. What a person sees on a phone, then Accept and the redirect.
 * UPDATE_SCREENSHOTS=1 refreshes docs/invitation-landing.png for the README.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM, chromiumAvailable as available, ROOT, startBrowserWorker, type BrowserWorker } from "./support/browser";
import type { LocalWorker } from "../../scripts/lib/local-worker";
import { newInvitationCode } from "../../worker/invitations/code";
import { fakeDiscord } from "../worker/support/fake-discord";

if (!available) console.warn(`landing page browser test skipped: ${CHROMIUM} is missing (install Debian's "chromium" package: apt-get install -y chromium)`);

describe.skipIf(!available)("the landing page in chromium (Debian package chromium)", () => {
  let worker: LocalWorker;
  let context: BrowserContext;
  let browser: BrowserWorker;
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  let code = "";
  let guildId = "";

  beforeAll(async () => {
    await client.connect();
    const inviterId = String(((BigInt(Date.now()) - 1420070400000n) << 22n) + 11n);
    const guild = await fakeDiscord.createGuild({
      name: "Simulated Lounge",
      members: [{ user: { id: inviterId, username: "klaver", global_name: "MAJ Klaver" } }],
    });
    guildId = guild.id;
    code = newInvitationCode();
    await client.query("insert into members (guild_id, user_id, joined_at) values ($1, $2, now() - interval '90 days')", [guildId, inviterId]);
    await client.query("insert into invitations (guild_id, code, inviter_id, expires_at) values ($1, $2, $3, now() + interval '14 days')", [guildId, code, inviterId]);
    browser = await startBrowserWorker("invites", "browser-test", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    ({ worker, context } = browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.stop();
    await client.end();
  });

  it("shows a phone-sized page without JavaScript, and Accept leads to a single-use Discord invite", async () => {
    const page = await context.newPage();
    const response = await page.goto(`${worker.url}/i/${code}`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Simulated Lounge");
    expect(await page.locator("main p").first().textContent()).toBe("MAJ Klaver invites you to join.");
    expect(await page.locator("main").textContent()).toMatch(/valid until \w+ \d{1,2}, \d{4}/);
    expect(await page.getByRole("button", { name: "Accept with an invite link" }).isVisible()).toBe(true);
    expect(await page.title()).toBe("MAJ Klaver invites you to Simulated Lounge");
    expect(await page.evaluate("document.scripts.length")).toBe(0);
    // Readable on a phone: nothing wider than the screen, a button big enough to tap.
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    const button = await page.getByRole("button", { name: "Accept with an invite link" }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44);
    const shot = await page.screenshot({ fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS) fs.writeFileSync(path.join(ROOT, "docs", "invitation-landing.png"), shot);

    // Opening the page made no Discord invite.
    expect(await fakeDiscord.guildInvites(guildId)).toEqual([]);

    // The browser follows the 303 to discord.gg (which this machine cannot reach: the request itself is the proof).
    const [redirected] = await Promise.all([
      page.waitForRequest((request) => request.url().startsWith("https://discord.gg/")),
      page.getByRole("button", { name: "Accept with an invite link" }).click(),
    ]);
    expect(redirected.redirectedFrom()?.method()).toBe("POST");
    expect(redirected.redirectedFrom()?.url()).toBe(`${worker.url}/i/${code}`);
    const discordCode = new URL(redirected.url()).pathname.slice(1);
    expect(await fakeDiscord.guildInvites(guildId)).toEqual([expect.objectContaining({ code: discordCode, max_uses: 1, max_age: 1800 })]);
    const { rows } = await client.query("select discord_invite_code from invitations where code = $1", [code]);
    expect(rows[0].discord_invite_code).toBe(discordCode);
  }, 60_000);
});
