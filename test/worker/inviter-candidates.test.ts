// A join whose code is in doubt credits an inviter when every candidate is that member's
// invite and the join surely came through one of them (worker/inviters/counts.ts), with
// member search refused, against the simulator's latency model.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites } from "../../schema";
import { writeOutboxItem } from "../../worker/guild-invites/writer";
import type { OutboxItem } from "../../worker/guild-invites/outbox";
import { inviterCounts } from "../../worker/inviters/store";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runCommandFinal, runInvite } from "./support/interactions";
import { trackedGuild, userAged } from "./support/inviters";
import { eventually, guildStub } from "./support/relay";

const BOT = "100000000000000001";
const policy = { fakeAccountAgeDays: 7, countAfterDays: 0 };

/** Every join of the guild once the object owes nothing, with whose candidates they are. */
const settled = (guildId: string, joins: number) =>
  eventually(
    async () => {
      const [rows, status] = await Promise.all([
        withDb((db) =>
          db
            .select({ userId: inviteJoins.userId, method: inviteJoins.method, code: inviteJoins.inviteCode, candidates: inviteJoins.candidates, by: inviteJoins.candidatesInviterId })
            .from(inviteJoins)
            .where(eq(inviteJoins.guildId, guildId)),
        ),
        guildStub(guildId).status(),
      ]);
      return rows.length >= joins && status.pendingJoins === 0 && status.outboxDepth === 0 ? rows : undefined;
    },
    30_000,
    `${joins} joins settled`,
  );

async function refusingGuild(name: string) {
  const tracked = await trackedGuild(name);
  await fakeDiscord.behaviour(tracked.guild.id, { member_search: "refuse" });
  const inviteOf = async (inviterId: string) => (await fakeDiscord.createInvite(tracked.guild.id, { channel_id: tracked.ctx.channelId, inviter_id: inviterId })).code;
  return { ...tracked, inviteOf };
}

const shown = async (ctx: { guildId: string; channelId: string }, memberId: string) =>
  replyText((await runCommandFinal("invites", "show", [opt.user("member", memberId)], ctx)).body.data);

describe("credit through candidates that are all one member's invites", () => {
  it("a burst on two invites of one member, a Discovery join mixed in: the member is credited with the joins surely through them, and a relabel keeps it", async () => {
    const { guild, ctx, gateway, inviteOf } = await refusingGuild("One inviter burst");
    const inviter = userAged(900);
    const [first, second] = [await inviteOf(inviter.id), await inviteOf(inviter.id)];
    // A pair through the two codes, then a Discovery join beside one more through the first.
    const [a, b, discovered, c] = [userAged(400), userAged(400), userAged(400), userAged(400)];
    await fakeDiscord.join(first, a);
    await fakeDiscord.join(second, b);
    await gateway.forward();
    await settled(guild.id, 2);
    await fakeDiscord.discoveryJoin(guild.id, discovered);
    await fakeDiscord.join(first, c);
    await gateway.forward();
    const rows = await settled(guild.id, 4);
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    // The pair surely used one of the member's two codes: theirs, whichever code it was.
    for (const user of [a, b]) expect(byUser.get(user.id)).toMatchObject({ code: null, candidates: [first, second].sort(), by: inviter.id });
    // Either of the last two may have moved nothing: neither is anyone's, the member's own included.
    for (const user of [discovered, c]) expect(byUser.get(user.id)).toMatchObject({ method: "unresolved", code: null, by: null });
    const credited = [a, b];
    const line = `<@${inviter.id}> has **${credited.length}** invites (${credited.length} regular, 0 left, 0 fake, +0 bonus)`;
    expect(await shown(ctx, inviter.id)).toContain(line);
    const board = replyText((await runCommandFinal("invites", "leaderboard", [], ctx)).body.data);
    expect(board).toContain(`1. <@${inviter.id}>: **${credited.length}** invites`);

    // A label is not an inviter: moving one code to a source leaves the credit where it was.
    await runInvite("assign", [opt.str("code", second), opt.str("source", "Reddit")], ctx);
    expect(await shown(ctx, inviter.id)).toContain(line);
  }, 60_000);

  it("a burst over two members' invites credits nobody", async () => {
    const { guild, ctx, gateway, inviteOf } = await refusingGuild("Mixed inviters");
    const [x, y] = [userAged(900), userAged(800)];
    const codes = [await inviteOf(x.id), await inviteOf(y.id)];
    for (const code of codes) await fakeDiscord.join(code, userAged(400));
    await gateway.forward();
    const rows = await settled(guild.id, 2);
    expect(rows).toEqual([
      expect.objectContaining({ method: "unresolved", code: null, candidates: [...codes].sort(), by: null }),
      expect.objectContaining({ method: "unresolved", code: null, candidates: [...codes].sort(), by: null }),
    ]);
    for (const who of [x, y]) expect(await shown(ctx, who.id)).toContain(`<@${who.id}> has **0** invites (0 regular`);
  }, 60_000);

  it("is revised like any verdict when a later snapshot decides the join", async () => {
    const guildId = "930000000000000001";
    const [x, y] = [userAged(900).id, userAged(800).id];
    await withDb((db) =>
      db.insert(invites).values([
        { code: "candx1", guildId, inviterId: x },
        { code: "candx2", guildId, inviterId: x },
        { code: "candy1", guildId, inviterId: y },
        { code: "candbot", guildId, inviterId: BOT },
      ]),
    );
    const joinAt = Date.now() - 60_000;
    const verdict = (userId: string, over: Partial<Extract<OutboxItem, { kind: "join" }>>): OutboxItem => ({
      kind: "join",
      guildId,
      userId,
      joinedAt: joinAt,
      didRejoin: false,
      method: "unresolved",
      inviteCode: null,
      invitationId: null,
      candidates: null,
      groupId: null,
      ...over,
    });
    const counts = () =>
      withDb(async (db) => {
        const scope = { guildId, botUserId: BOT, policy, since: null, until: null, now: new Date() };
        return [(await inviterCounts(db, scope, x)).regular, (await inviterCounts(db, scope, y)).regular];
      });
    const [a, b, c, d] = [userAged(400).id, userAged(400).id, userAged(400).id, userAged(400).id];
    await withDb(async (db) => {
      // Through one of x's two codes: x's. Through x's or y's: nobody's. Maybe through nothing (Discovery): nobody's.
      await writeOutboxItem(db, verdict(a, { candidates: ["candx1", "candx2"], throughCandidate: true }));
      await writeOutboxItem(db, verdict(b, { candidates: ["candx1", "candy1"], throughCandidate: true }));
      await writeOutboxItem(db, verdict(c, { candidates: ["candx1", "candx2"] }));
      // The bot's invite among them: a source's link is nobody's.
      await writeOutboxItem(db, verdict(d, { candidates: ["candbot", "candx1"], throughCandidate: true }));
    });
    expect(await counts()).toEqual([1, 0]);
    await withDb(async (db) => {
      // Later snapshots: a's code is known (still x's), b came through y's, c surely through one of x's.
      await writeOutboxItem(db, verdict(a, { method: "diff", inviteCode: "candx2" }));
      await writeOutboxItem(db, verdict(b, { method: "diff", inviteCode: "candy1" }));
      await writeOutboxItem(db, verdict(c, { candidates: ["candx1", "candx2"], throughCandidate: true }));
    });
    expect(await counts()).toEqual([2, 1]);
    const stored = await withDb((db) =>
      db.execute<{ user_id: string; candidates_inviter_id: string | null }>(sql`
        select user_id, candidates_inviter_id from invite_joins where guild_id = ${guildId} and user_id in (${a}, ${c})`),
    );
    // Once the code is known, the join's inviter is its invite's creator: nothing is kept beside it.
    expect(Object.fromEntries(stored.rows.map((r) => [r.user_id, r.candidates_inviter_id]))).toEqual({ [a]: null, [c]: x });
  });
});
