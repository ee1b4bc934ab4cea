/**
 * "Join with Discord" in a real browser: Debian's chromium, driven by
 * playwright-core, against `wrangler dev`, the test Postgres and the fake
 * Discord's consent page. From the invitation page, through consent, to the
 * redirect into the server; then the member's GUILD_MEMBER_ADD, forwarded as
 * the relay would, spends the invitation and makes the welcome post.
 * UPDATE_SCREENSHOTS=1 refreshes docs/join-with-discord-consent.png for the README.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM, chromiumAvailable as available, ROOT, startBrowserWorker, type BrowserWorker } from "./support/browser";
import type { LocalWorker } from "../../scripts/lib/local-worker";
import { newInvitationCode } from "../../worker/invitations/code";
import { fakeDiscord } from "../worker/support/fake-discord";

if (!available) console.warn(`Join with Discord browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const RELAY_SECRET = "browser-test-relay-secret";

describe.skipIf(!available)("Join with Discord in chromium (Debian package chromium)", () => {
  let worker: LocalWorker;
  let context: BrowserContext;
  let browser: BrowserWorker;
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  const origin = new URL(inject("discordApiBase")).origin;
  let code = "";
  let guildId = "";
  let welcomeChannelId = "";

  /** Forwards the fake's delivered dispatches to the Worker, signed as the relay signs them. */
  async function relay(sent: number): Promise<number> {
    const events = (await (await fetch(`${origin}/_fake/guilds/${guildId}/events?wait=true`)).json()) as Array<{ t: string; d: unknown }>;
    for (const [i, { t, d }] of events.slice(sent).entries()) {
      const body = JSON.stringify({ id: `${guildId}:browser:${sent + i}`, t, d });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac("sha256", RELAY_SECRET).update(`${timestamp}.${body}`).digest("hex");
      const response = await fetch(`${worker.url}/relay/events`, { method: "POST", headers: { "X-Relay-Timestamp": timestamp, "X-Relay-Signature": signature }, body });
      expect(response.status).toBe(202);
    }
    return events.length;
  }

  beforeAll(async () => {
    await client.connect();
    const inviterId = String(((BigInt(Date.now()) - 1420070400000n) << 22n) + 21n);
    const guild = await fakeDiscord.createGuild({
      name: "Simulated Lounge",
      members: [{ user: { id: inviterId, username: "klaver", global_name: "MAJ Klaver" } }],
      channels: [{ name: "general" }, { name: "welcome" }],
    });
    guildId = guild.id;
    welcomeChannelId = guild.channels[1]!.id;
    await fakeDiscord.behaviour(guildId, { rest_latency_ms: [0, 5], gateway_latency_ms: [0, 5], straggler_rate: 0 });
    code = newInvitationCode();
    await client.query("insert into members (guild_id, user_id, joined_at) values ($1, $2, now() - interval '90 days')", [guildId, inviterId]);
    await client.query("insert into invitations (guild_id, code, inviter_id, expires_at) values ($1, $2, $3, now() + interval '14 days')", [guildId, code, inviterId]);
    await client.query("insert into invitation_settings (guild_id, welcome_channel_id) values ($1, $2)", [guildId, welcomeChannelId]);
    browser = await startBrowserWorker("join-flow", "browser-test", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    ({ worker, context } = browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.stop();
    await client.end();
  });

  it("goes from the invitation page through Discord's consent page into the server; the join spends the invitation and is welcomed", async () => {
    const shot = async (name: string) => {
      const image = await page.screenshot({ fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS) fs.writeFileSync(path.join(ROOT, "docs", `join-with-discord-${name}.png`), image);
    };
    const page = await context.newPage();
    expect((await page.goto(`${worker.url}/i/${code}`))?.status()).toBe(200);
    const buttons = page.getByRole("button");
    // This page's picture is docs/invitation-landing.png (test/node/landing-browser.test.ts).
    expect(await buttons.allTextContents()).toEqual(["Join with Discord", "Accept with an invite link"]);

    await page.getByRole("button", { name: "Join with Discord" }).click();
    await page.waitForURL(`${origin}/oauth2/authorize?**`);
    expect(await page.locator("h1").textContent()).toContain("wants to access your Discord account");
    expect(await page.locator("li").allTextContents()).toEqual(["Access your username, avatar, and banner", "Join servers for you"]);
    await shot("consent");

    // The Worker's last answer sends the browser to Discord's app (which this machine cannot reach: the request is the proof).
    const [intoServer] = await Promise.all([
      page.waitForRequest((request) => request.url().startsWith("https://discord.com/channels/")),
      page.getByRole("button", { name: "Authorize" }).click(),
    ]);
    expect(intoServer.url()).toBe(`https://discord.com/channels/${guildId}`);
    expect(intoServer.redirectedFrom()?.url()).toMatch(new RegExp(`^${worker.url}/oauth/callback\\?code=`));

    const [joined] = await fakeDiscord.requests(`/guilds/${guildId}/members/`).then((r) => r.filter((x) => x.method === "PUT" && x.status === 201));
    const userId = joined!.path.split("/").at(-1)!;
    await relay(0);
    await expect
      .poll(async () => (await client.query("select invited_id, spent_at is not null as spent from invitations where code = $1", [code])).rows[0], { timeout: 30_000 })
      .toEqual({ invited_id: userId, spent: true });
    const join = await client.query("select method from invite_joins where guild_id = $1 and user_id = $2", [guildId, userId]);
    expect(join.rows).toEqual([{ method: "oauth" }]);
    await expect
      .poll(async () => (await fakeDiscord.channelMessages(welcomeChannelId)).map((m) => m.content), { timeout: 30_000 })
      .toEqual([`<@${userId}> joined, invited by <@${(await client.query("select inviter_id from invitations where code = $1", [code])).rows[0].inviter_id}>`]);
  }, 90_000);
});
