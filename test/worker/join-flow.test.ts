import { exports } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { invitations, inviteJoins } from "../../schema";
import { mintWave } from "../../worker/invitations/mint";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { insertMembers, invitationsOf, newUserId } from "./support/invitations";
import { eventually, gatewayForwarder, guildStub, relayEvent } from "./support/relay";

const origin = () => new URL(inject("discordApiBase")).origin;
let addressCounter = 0;
const newAddress = () => `203.0.113.${++addressCounter}`;

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${origin()}/_fake${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`fake Discord ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A guild the object knows (its GUILD_CREATE seen, invites fetched) with one invite and one invitation. */
async function guildWithInvitation(name: string) {
  const inviterId = newUserId();
  const guild = await fakeDiscord.createGuild({ name, members: [{ user: { id: inviterId, username: "ada" } }] });
  // Quick answers: these tests are about the flow, not Discord's timing.
  await fakeDiscord.behaviour(guild.id, { rest_latency_ms: [0, 5], gateway_latency_ms: [0, 5], straggler_rate: 0 });
  const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: guild.channels[0]!.id });
  await insertMembers(guild.id, [{ userId: inviterId, joinedAt: new Date(Date.now() - 86_400_000), leftAt: null, bot: false }]);
  await withDb((db) =>
    mintWave(db, { guildId: guild.id, policy: { name: "unspent", minDays: 0 }, count: 1, expiresDays: 7, createdBy: null, dryRun: false, now: new Date() }),
  );
  const [invitation] = await invitationsOf(guild.id);
  const gateway = gatewayForwarder(guild.id);
  await gateway.forward();
  expect((await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [], vanity_url_code: null })).status).toBe(202);
  await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed fetch");
  return { guild, invitation: invitation!, inviteCode: code, gateway };
}

/** The button, then Discord's consent page answered by `user`: the callback URL Discord sends the browser to, and the browser's cookie. */
async function consent(invitationCode: string, user: { id: string; username: string }, decision: "authorize" | "cancel" = "authorize") {
  const button = await exports.default.fetch(`https://bot.test/i/${invitationCode}/discord`, {
    method: "POST",
    headers: { "CF-Connecting-IP": newAddress() },
    redirect: "manual",
  });
  expect(button.status).toBe(303);
  const cookie = /^join_flow=[^;]+/.exec(button.headers.get("set-cookie") ?? "")![0];
  const { location } = await control<{ location: string }>("POST", "/oauth2/authorize", { url: button.headers.get("location"), user, decision });
  return { callback: `https://bot.test/oauth/callback${new URL(location).search}`, cookie, authorize: new URL(button.headers.get("location")!) };
}

const callback = (url: string, cookie: string) => exports.default.fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
const newUser = () => {
  const id = newUserId();
  return { id, username: `u${id.slice(-5)}` };
};
const joinRow = (guildId: string, userId: string) =>
  withDb(async (db) => (await db.select().from(inviteJoins).where(sql`${inviteJoins.guildId} = ${guildId} and ${inviteJoins.userId} = ${userId}`))[0]);
const invitationRow = (id: number) => withDb(async (db) => (await db.select().from(invitations).where(eq(invitations.id, id)))[0]!);
const adds = async (guildId: string) => (await fakeDiscord.requests(`/guilds/${guildId}/members/`)).filter((r) => r.method === "PUT");

describe("Join with Discord", () => {
  it("sends the button to Discord's consent page with the two scopes, the callback, a state and a Lax cookie", async () => {
    const { invitation } = await guildWithInvitation("Flow Button");
    const button = await exports.default.fetch(`https://bot.test/i/${invitation.code}/discord`, { method: "POST", headers: { "CF-Connecting-IP": newAddress() }, redirect: "manual" });
    expect(button.status).toBe(303);
    const url = new URL(button.headers.get("location")!);
    expect(`${url.origin}${url.pathname}`).toBe(`${origin()}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "100000000000000001",
      scope: "identify guilds.join",
      redirect_uri: "https://invites.test/oauth/callback",
    });
    expect(url.searchParams.get("state")).toMatch(/^invitation\./);
    expect(button.headers.get("set-cookie")).toMatch(/^join_flow=[\w-]{22}; Max-Age=600; Path=\/oauth; HttpOnly; Secure; SameSite=Lax$/);
    // The invitation page offers it first.
    const page = await (await exports.default.fetch(`https://bot.test/i/${invitation.code}`, { headers: { "CF-Connecting-IP": newAddress() } })).text();
    expect(page.indexOf("Join with Discord")).toBeLessThan(page.indexOf("Accept with an invite link"));
  });

  it("adds the member, spends the invitation exactly at the join (a Discovery join and an invite join in the same second), and revokes the token", async () => {
    const { guild, invitation, inviteCode, gateway } = await guildWithInvitation("Flow Join");
    const friend = newUser();
    const { callback: url, cookie } = await consent(invitation.code, friend);
    const [response] = await Promise.all([
      callback(url, cookie),
      fakeDiscord.discoveryJoin(guild.id, newUser()),
      fakeDiscord.join(inviteCode, newUser()),
    ]);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`https://discord.com/channels/${guild.id}`);
    await gateway.forward();
    const row = await eventually(async () => (await joinRow(guild.id, friend.id)) ?? undefined, 15_000, "the friend's join");
    expect(row).toMatchObject({ method: "oauth", invitationId: invitation.id, inviteCode: null });
    const spent = await invitationRow(invitation.id);
    expect(spent.invitedId).toBe(friend.id);
    expect(spent.spentAt?.getTime()).toBe(row.joinedAt.getTime());
    // The add's body was Discord's documented one, and its token was revoked once used.
    const [add] = await adds(guild.id);
    expect([add!.status, Object.keys(add!.body as object)]).toEqual([201, ["access_token"]]);
    const token = (add!.body as { access_token: string }).access_token;
    const revokes = await fakeDiscord.requests("/oauth2/token/revoke");
    expect(revokes.filter((r) => (r.body as { token?: string }).token === token).map((r) => r.status)).toEqual([200]);
    // No token anywhere in the database: every text column of every table.
    await eventually(async () => ((await guildStub(guild.id).status()).outboxDepth === 0 ? true : undefined), 15_000, "outbox flushed");
    const columns = await withDb((db) =>
      db.execute<{ table_name: string; column_name: string }>(sql`
        select table_name, column_name from information_schema.columns
         where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`),
    );
    const found = await withDb(async (db) => {
      let hits = 0;
      for (const c of columns.rows) {
        const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)}::text like ${`%${token}%`}`);
        hits += result.rows[0]!.n;
      }
      return hits;
    });
    expect(columns.rows.length).toBeGreaterThan(20);
    expect(found).toBe(0);
  });

  it("takes a join arriving before the add's answer, and lets an expectation no join follows expire", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Expect");
    const early = newUser();
    const late = newUser();
    const stub = guildStub(guild.id);
    // The flow tells the object before asking Discord: the GUILD_MEMBER_ADD may beat the 201.
    await stub.expectJoin({ userId: early.id, invitationId: invitation.id, expiresAt: Date.now() + 60_000 });
    await stub.expectJoin({ userId: late.id, invitationId: invitation.id, expiresAt: Date.now() + 300 });
    const joinedAt = new Date().toISOString();
    expect((await relayEvent(`${guild.id}:early`, "GUILD_MEMBER_ADD", { guild_id: guild.id, joined_at: joinedAt, user: { id: early.id, username: early.username } })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 400));
    // The late user's add never happened; when they come later through Discovery, the join is not the bot's.
    await fakeDiscord.discoveryJoin(guild.id, late);
    await gatewayForwarder(guild.id).forward((events) => events.filter((e) => e.t === "GUILD_MEMBER_ADD" && JSON.stringify(e.d).includes(late.id)));
    const earlyRow = await eventually(async () => (await joinRow(guild.id, early.id)) ?? undefined, 15_000, "early join");
    expect(earlyRow).toMatchObject({ method: "oauth", invitationId: invitation.id });
    const lateRow = await eventually(async () => (await joinRow(guild.id, late.id)) ?? undefined, 40_000, "late join");
    expect(lateRow.method).not.toBe("oauth");
    expect(lateRow.invitationId).toBeNull();
    expect((await invitationRow(invitation.id)).invitedId).toBe(early.id);
  });

  it("answers 400 to a tampered state, and adds nobody", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Tamper");
    const { callback: url, cookie } = await consent(invitation.code, newUser());
    const tampered = new URL(url);
    // A later expiry written into the state: its MAC no longer matches.
    const parts = tampered.searchParams.get("state")!.split(".");
    parts[4] = String(Number(parts[4]) + 60);
    tampered.searchParams.set("state", parts.join("."));
    const response = await callback(tampered.toString(), cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This sign-in link is not valid");
    // Without the browser's cookie, the genuine state is refused too.
    expect((await callback(url, "join_flow=someone-elses-nonce-xx")).status).toBe(400);
    expect(await adds(guild.id)).toEqual([]);
  });

  it("adds nobody twice on a replayed callback", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Replay");
    const { callback: url, cookie } = await consent(invitation.code, newUser());
    expect((await callback(url, cookie)).status).toBe(303);
    const again = await callback(url, cookie);
    expect(again.status).toBe(400);
    // Refused for its state, before Discord is asked again.
    expect(await again.text()).toContain("This sign-in link is not valid");
    expect(await adds(guild.id)).toHaveLength(1);
  });

  it("spends nothing when the member declines, and shows the way back", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Decline");
    const { callback: url, cookie } = await consent(invitation.code, newUser(), "cancel");
    expect(new URL(url).searchParams.get("error")).toBe("access_denied");
    const response = await callback(url, cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`href="/i/${invitation.code}"`);
    expect((await invitationRow(invitation.id)).spentAt).toBeNull();
    expect(await adds(guild.id)).toEqual([]);
  });

  it("spends nothing for an existing member (204), and gives the invitation back", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Member");
    const member = newUser();
    await fakeDiscord.discoveryJoin(guild.id, member);
    const { callback: url, cookie } = await consent(invitation.code, member);
    const response = await callback(url, cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are already a member");
    expect((await invitationRow(invitation.id)).spentAt).toBeNull();
    // Given back: someone else can still join with it.
    const friend = newUser();
    const next = await consent(invitation.code, friend);
    expect((await callback(next.callback, next.cookie)).status).toBe(303);
  });

  it("adds exactly one of two browsers racing on one invitation; the other gets 410", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Race");
    const [a, b] = [newUser(), newUser()];
    const [first, second] = await Promise.all([consent(invitation.code, a), consent(invitation.code, b)]);
    const answers = await Promise.all([callback(first.callback, first.cookie), callback(second.callback, second.cookie)]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410]);
    expect((await adds(guild.id)).filter((r) => r.status === 201)).toHaveLength(1);
  });

  it("shows Discord's refusals: no Create Invite (and a health line), banned; waits out one 429; 503 on an outage", async () => {
    const { guild, invitation } = await guildWithInvitation("Flow Refusals");
    const banned = newUser();
    await control("POST", `/guilds/${guild.id}/bans`, { user_id: banned.id });
    let flow = await consent(invitation.code, banned);
    let response = await callback(flow.callback, flow.cookie);
    expect([response.status, await response.text()]).toEqual([403, expect.stringContaining("You are banned")]);

    await control("PATCH", `/guilds/${guild.id}/everyone-role`, { permissions: "0" });
    await fakeDiscord.botRole(guild.id, { permissions: String(1n << 5n) });
    flow = await consent(invitation.code, newUser());
    response = await callback(flow.callback, flow.cookie);
    expect([response.status, await response.text()]).toEqual([403, expect.stringContaining("cannot add you right now")]);
    expect((await guildStub(guild.id).status()).joinFlowMissingPermissionAt).not.toBeNull();
    await fakeDiscord.botRole(guild.id, { permissions: String((1n << 0n) | (1n << 5n)) });

    await fakeDiscord.failures({ method: "PUT", path_prefix: `/guilds/${guild.id}/members/`, count: 2, status: 502 });
    flow = await consent(invitation.code, newUser());
    response = await callback(flow.callback, flow.cookie);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("try again");

    await fakeDiscord.rateLimit({ method: "PUT", path_prefix: `/guilds/${guild.id}/members/`, count: 1, retry_after: 0.2 });
    flow = await consent(invitation.code, newUser());
    response = await callback(flow.callback, flow.cookie);
    expect(response.status).toBe(303);
    // Every refusal gave the invitation back; the last add spent it (once its join arrives).
    expect((await guildStub(guild.id).status()).joinFlowMissingPermissionAt).toBeNull();
  });
});
