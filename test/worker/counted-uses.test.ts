// The ledger of counted uses end to end, against the simulator's latency model
// (REST answers in 40–300 ms, gateway events 50–1,000 ms late but in order) with
// member search refused: totals are exact where the diff cannot name members.
import { runInDurableObject } from "cloudflare:test";
import { asc, eq } from "drizzle-orm";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { countedUses, inviteJoins, inviteSources } from "../../schema";
import { writeOutboxItem } from "../../worker/guild-invites/writer";
import { runCron } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord, UNMARKED_BOT } from "./support/fake-discord";
import { opt, replyText, runCommandFinal, runInvite } from "./support/interactions";
import { databaseOutage, eventually, gatewayForwarder, guildStub, relayEvent } from "./support/relay";

let userSeq = 760_000_000_000_000_000n;
const newUser = () => {
  const id = String(userSeq++);
  return { id, username: `cnt${id.slice(-4)}` };
};

/** Unmarked invites: these totals are what the counts alone give. */
async function ledgerGuild(name: string) {
  const guild = await fakeDiscord.createGuild({ name, bot_permissions: UNMARKED_BOT });
  await fakeDiscord.behaviour(guild.id, { member_search: "refuse" });
  const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
  await relayEvent(`${guild.id}:hello`, "GUILD_CREATE", { id: guild.id, features: [], vanity_url_code: null });
  await eventually(async () => ((await guildStub(guild.id).status()).cachedAt !== null ? true : undefined), 10_000, "seed fetch");
  const invite = async (source: string) => {
    const { body } = await runInvite("create", [opt.str("source", source)], ctx);
    return /discord\.gg\/([A-Za-z0-9-]+)/.exec(body.data!.content!)![1]!;
  };
  return { guildId: guild.id, ctx, invite, gateway: gatewayForwarder(guild.id) };
}

const ledgerOf = (guildId: string) =>
  withDb((db) =>
    db
      .select({ code: countedUses.code, uses: countedUses.uses, how: countedUses.how })
      .from(countedUses)
      .where(eq(countedUses.guildId, guildId))
      .orderBy(asc(countedUses.countedAt), asc(countedUses.code)),
  );

const usesOf = async (guildId: string) => {
  const totals = new Map<string, number>();
  for (const r of await ledgerOf(guildId)) totals.set(r.code, (totals.get(r.code) ?? 0) + (r.uses ?? 0));
  return Object.fromEntries(totals);
};

/** Waits until the guild's object owes nothing and every join has a row. */
const settled = (guildId: string, joins: number, timeoutMs = 30_000) =>
  eventually(
    async () => {
      const [rows, status] = await Promise.all([
        withDb((db) =>
          db
            .select({ userId: inviteJoins.userId, method: inviteJoins.method, code: inviteJoins.inviteCode, source: inviteSources.name })
            .from(inviteJoins)
            .leftJoin(inviteSources, eq(inviteSources.id, inviteJoins.sourceId))
            .where(eq(inviteJoins.guildId, guildId)),
        ),
        guildStub(guildId).status(),
      ]);
      return rows.length >= joins && status.pendingJoins === 0 && status.outboxDepth === 0 ? rows : undefined;
    },
    timeoutMs,
    `${joins} joins settled`,
  );

const stats = async (ctx: { guildId: string; channelId: string }) => replyText((await runInvite("stats", [opt.int("days", 1)], ctx)).body.data);

describe("counted uses: exact totals where members cannot be named", () => {
  it("a burst over three sources with Discovery joins: every source's total is exact, nobody is named wrongly", async () => {
    const { guildId, ctx, invite, gateway } = await ledgerGuild("Ledger burst");
    const codes = { Reddit: await invite("Reddit"), YouTube: await invite("YouTube"), Forum: await invite("Forum") };
    const plan: Array<keyof typeof codes | "Discovery"> = ["Reddit", "YouTube", "Reddit", "Discovery", "Forum", "Reddit", "YouTube", "Reddit", "Discovery", "Reddit", "Forum", "YouTube"];
    const truth = new Map<string, string>();
    for (const via of plan) {
      const user = newUser();
      truth.set(user.id, via);
      if (via === "Discovery") await fakeDiscord.discoveryJoin(guildId, user);
      else await fakeDiscord.join(codes[via], user);
    }
    await gateway.forward();
    const rows = await settled(guildId, plan.length);
    for (const row of rows) if (row.source !== null) expect(row.source).toBe(truth.get(row.userId));
    const text = await stats(ctx);
    expect(text).toContain(`Joins in the last 1 day: ${plan.length}`);
    expect(text).toMatch(/\*\*Reddit\*\*: 5 \(\d named\)/);
    expect(text).toMatch(/\*\*YouTube\*\*: 3 \(\d named\)/);
    expect(text).toMatch(/\*\*Forum\*\*: 2 \(\d named\)/);
    expect(text).toContain("*Moved no invite* (Discovery, OAuth add): 2 ·");
    expect(text).not.toContain("Ambiguous");
  }, 60_000);

  it("joins whose candidates all belong to one source are named by that source, the code left in doubt", async () => {
    const { guildId, ctx, invite, gateway } = await ledgerGuild("Ledger by source");
    const [first, second] = [await invite("Reddit"), await invite("Reddit")];
    const [a, b] = [newUser(), newUser()];
    await fakeDiscord.join(first, a);
    await fakeDiscord.join(second, b);
    await gateway.forward();
    await settled(guildId, 2);
    const rows = await withDb((db) =>
      db
        .select({ method: inviteJoins.method, code: inviteJoins.inviteCode, source: inviteSources.name, candidates: inviteJoins.candidates })
        .from(inviteJoins)
        .leftJoin(inviteSources, eq(inviteSources.id, inviteJoins.sourceId))
        .where(eq(inviteJoins.guildId, guildId)),
    );
    expect(rows).toEqual([
      { method: "source", code: null, source: "Reddit", candidates: [first, second].sort() },
      { method: "source", code: null, source: "Reddit", candidates: [first, second].sort() },
    ]);
    // One of the two invites relabelled: the candidates no longer share a source, so neither join has one.
    await runInvite("assign", [opt.str("code", second), opt.str("source", "Twitter")], ctx);
    const after = await withDb((db) => db.select({ method: inviteJoins.method, sourceId: inviteJoins.sourceId }).from(inviteJoins).where(eq(inviteJoins.guildId, guildId)));
    expect(after).toEqual([
      { method: "unresolved", sourceId: null },
      { method: "unresolved", sourceId: null },
    ]);
  }, 60_000);

  it("a replayed relay event and a replayed snapshot or ledger write add no use", async () => {
    const { guildId, invite, gateway } = await ledgerGuild("Ledger replay");
    const code = await invite("Podcast");
    const user = newUser();
    await fakeDiscord.join(code, user);
    let forwarded: Array<{ id: string; t: string; d: unknown }> = [];
    await gateway.forward((events) => (forwarded = events));
    await settled(guildId, 1);
    expect(await usesOf(guildId)).toEqual({ [code]: 1 });
    // The relay sends the same events again (a retry after a lost 202).
    for (const event of forwarded) expect((await relayEvent(event.id, event.t, event.d)).status).toBe(202);
    // The cron asks for a refetch: Discord's counts have not moved since the last one.
    await guildStub(guildId).reconcile(guildId, true);
    await eventually(async () => ((await guildStub(guildId).status()).snapshots >= 3 ? true : undefined), 10_000, "the refetch");
    await settled(guildId, 1);
    // The same outbox item written again (its acknowledgement lost after the commit).
    const [row] = await withDb((db) => db.select().from(countedUses).where(eq(countedUses.guildId, guildId)));
    const item = { kind: "counted_uses" as const, guildId, rows: [{ code, uses: 1, how: "snapshot" as const, countedFrom: row!.countedFrom!.getTime(), countedAt: row!.countedAt.getTime() }] };
    await withDb((db) => writeOutboxItem(db, item));
    expect(await ledgerOf(guildId)).toEqual([{ code, uses: 1, how: "snapshot" }]);
  }, 60_000);

  it("an evicted object and a Postgres outage lose no use", async () => {
    const { guildId, invite, gateway } = await ledgerGuild("Ledger outage");
    const code = await invite("Newsletter");
    await databaseOutage(true);
    try {
      for (let i = 0; i < 5; i++) await fakeDiscord.join(code, newUser());
      await gateway.forward();
      await eventually(async () => {
        const status = await guildStub(guildId).status();
        return status.pendingJoins === 0 && status.outboxDepth >= 6 ? status : undefined;
      }, 20_000, "uses and joins settled into the outbox");
      await runInDurableObject(guildStub(guildId), (_instance, state) => state.abort("evicted by the test")).catch(() => undefined);
    } finally {
      await databaseOutage(false);
    }
    await settled(guildId, 5, 60_000);
    expect(await usesOf(guildId)).toEqual({ [code]: 5 });
  }, 90_000);

  it("/invite assign moves a code's past uses to the new source", async () => {
    const { guildId, ctx, gateway } = await ledgerGuild("Ledger assign");
    const inviter = String(userSeq++);
    const { code } = await fakeDiscord.createInvite(guildId, { channel_id: ctx.channelId, inviter_id: inviter });
    await relayEvent(`${guildId}:create-${code}`, "INVITE_CREATE", {
      guild_id: guildId,
      code,
      channel_id: ctx.channelId,
      inviter: { id: inviter, username: "inviter" },
      uses: 0,
      max_uses: 0,
      max_age: 0,
      temporary: false,
      created_at: new Date().toISOString(),
    });
    for (let i = 0; i < 3; i++) await fakeDiscord.join(code, newUser());
    await gateway.forward();
    await settled(guildId, 3);
    expect(await stats(ctx)).toContain("*Invites with no source*: 3 ·");
    const assigned = replyText((await runInvite("assign", [opt.str("code", code), opt.str("source", "Streamer")], ctx)).body.data);
    expect(assigned).toContain("now counts for **Streamer**");
    const after = await stats(ctx);
    expect(after).toMatch(/\*\*Streamer\*\*: 3 \(3 named\)/);
    expect(after).not.toContain("Invites with no source");
    // The inviter's own invite: every use counted on it, beside the named invitees.
    const shown = replyText((await runCommandFinal("invites", "show", [opt.user("member", inviter)], ctx)).body.data);
    expect(shown).toContain("Uses counted on their own invites: **3**");
  }, 60_000);

  it("an invite deleted between two snapshots shows as uncounted, not as moved no invite", async () => {
    const { guildId, ctx, invite, gateway } = await ledgerGuild("Ledger deleted");
    const keep = await invite("Kept");
    const doomed = await invite("Doomed");
    await fakeDiscord.join(keep, newUser());
    await gateway.forward();
    await settled(guildId, 1);
    for (let i = 0; i < 2; i++) await fakeDiscord.join(doomed, newUser());
    const deleted = await fetch(`${inject("discordApiBase")}/invites/${doomed}`, { method: "DELETE", headers: { Authorization: "Bot test" } });
    expect(deleted.status).toBe(200);
    await gateway.forward();
    await settled(guildId, 3);
    expect(await ledgerOf(guildId)).toContainEqual({ code: doomed, uses: null, how: "uncounted" });
    const text = await stats(ctx);
    expect(text).toContain("*Uncounted* (invites deleted or expired before their last uses were read): 2 ·");
    expect(text).not.toContain("Moved no invite");
  }, 60_000);

  it("uses the relay never announced are counted once, as the reconcile's", async () => {
    const { guildId, ctx, invite } = await ledgerGuild("Ledger reconcile");
    const code = await invite("Blog");
    // Joins whose events the relay lost: only Discord's count shows them.
    await fakeDiscord.join(code, newUser());
    await fakeDiscord.join(code, newUser());
    await runCron("*/5 * * * *", [guildId]);
    await eventually(async () => ((await ledgerOf(guildId)).length > 0 ? true : undefined), 15_000, "the reconcile's ledger row");
    await runCron("*/5 * * * *", [guildId]);
    await eventually(async () => ((await guildStub(guildId).status()).outboxDepth === 0 ? true : undefined), 10_000, "empty outbox");
    expect(await ledgerOf(guildId)).toEqual([{ code, uses: 2, how: "reconcile" }]);
    // The day's counts and its joins disagree: /invite health says so.
    const health = replyText((await runInvite("health", [], ctx)).body.data);
    expect(health).toContain(`${new Date().toISOString().slice(0, 10)}: 2 counted uses no join owns`);
  }, 60_000);
});
