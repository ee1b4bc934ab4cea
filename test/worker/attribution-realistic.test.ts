// Attribution against the simulator's latency model (REST answers in 40–300 ms,
// gateway events 50–1,000 ms late but in order) with member search refused, as
// Discord may refuse it to any bot: the diff stands alone.
import { describe, expect, it } from "vitest";
import { decided, realisticGuild, rowsOf, verdictsFor } from "./support/attribution";
import { fakeDiscord } from "./support/fake-discord";
import { eventually, guildStub, relayEvent } from "./support/relay";

let userSeq = 740_000_000_000_000_000n;
const newUser = () => {
  const id = String(userSeq++);
  return { id, username: `late${id.slice(-4)}` };
};

describe("attribution with Discord's latencies, member search refused", () => {
  it("attributes a lone join right after an attributed one", async () => {
    const { guildId, codes, gateway } = await realisticGuild("Back to back");
    const [first, second] = [newUser(), newUser()];
    await fakeDiscord.join(codes[0]!, first);
    await gateway.forward();
    await verdictsFor(guildId, [first], decided);
    await fakeDiscord.join(codes[1]!, second);
    await gateway.forward();
    const [a, b] = await verdictsFor(guildId, [first, second], decided);
    expect([a, b].map((r) => [r!.method, r!.code])).toEqual([
      ["diff", codes[0]],
      ["diff", codes[1]],
    ]);
  });

  it("attributes a single-use invite consumed on its own", async () => {
    const { guildId, channelId, gateway } = await realisticGuild("Single use");
    const { code } = await fakeDiscord.createInvite(guildId, { channel_id: channelId, max_uses: 1 });
    await gateway.forward();
    await eventually(async () => ((await guildStub(guildId).status()).cachedInvites >= 3 ? true : undefined), 10_000, "the invite cached");
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    const [row] = await verdictsFor(guildId, [user], decided);
    expect(row).toMatchObject({ method: "diff", code });
  });

  it("records a vanity join on its own as vanity", async () => {
    const { guildId, gateway } = await realisticGuild("Vanity alone", { vanity: "lonevanity" });
    const user = newUser();
    await fakeDiscord.vanityJoin(guildId, user);
    await gateway.forward();
    const [row] = await verdictsFor(guildId, [user], decided);
    expect(row).toMatchObject({ method: "vanity", code: "lonevanity" });
  });

  it("attributes an invite made in Discord's own UI by its code", async () => {
    const { guildId, channelId, gateway } = await realisticGuild("Made in the UI");
    // A member makes an invite in the client: the bot hears of it only through INVITE_CREATE.
    const { code } = await fakeDiscord.createInvite(guildId, { channel_id: channelId });
    const user = newUser();
    await fakeDiscord.join(code, user);
    await gateway.forward();
    const [row] = await verdictsFor(guildId, [user], decided);
    expect(row).toMatchObject({ method: "diff", code });
  });

  it("never gives a Discovery join the code of the invite join beside it", async () => {
    const { guildId, codes, gateway } = await realisticGuild("Discovery beside");
    const [viaInvite, viaDiscovery] = [newUser(), newUser()];
    await fakeDiscord.join(codes[0]!, viaInvite);
    await fakeDiscord.discoveryJoin(guildId, viaDiscovery);
    await gateway.forward();
    const rows = await verdictsFor(guildId, [viaInvite, viaDiscovery], (r) => r.method === "unresolved" || r.code === codes[0]);
    const discovery = rows[1]!;
    expect(discovery.method).toBe("unresolved");
    expect(discovery.code).toBeNull();
    // The invite join is either proven or left open: never another code.
    expect(rows[0]!.code === null || rows[0]!.code === codes[0]).toBe(true);
  });

  it("gives a join replayed 30 s late after a RESUME its own increment, and no one else's", async () => {
    const { guildId, codes, gateway } = await realisticGuild("Resume replay");
    const [early, late] = [newUser(), newUser()];
    await fakeDiscord.join(codes[0]!, early);
    await gateway.forward();
    await verdictsFor(guildId, [early], decided);
    // The relay's connection drops: the next join happens, its event waits for the RESUME.
    await fakeDiscord.join(codes[1]!, late);
    let held: Array<{ id: string; t: string; d: unknown }> = [];
    await gateway.forward((events) => ((held = events), []));
    // Meanwhile the cron's reconcile refetches and sees the second code rise with no join to own it.
    await guildStub(guildId).reconcile(guildId);
    await new Promise((r) => setTimeout(r, 30_000));
    for (const event of held) expect((await relayEvent(event.id, event.t, event.d)).status).toBe(202);
    const [a, b] = await verdictsFor(guildId, [early, late], decided);
    expect([a!.code, b!.code]).toEqual([codes[0], codes[1]]);
  }, 70_000);

  it("decides nothing a new session's lost events may have fed, and goes on after it", async () => {
    const { guildId, codes, gateway } = await realisticGuild("Lost session");
    const [before, lostA, lostB, after] = [newUser(), newUser(), newUser(), newUser()];
    await fakeDiscord.join(codes[0]!, before);
    await gateway.forward();
    await verdictsFor(guildId, [before], decided);
    // The session dies: these two joins' events are never delivered.
    await fakeDiscord.join(codes[0]!, lostA);
    await fakeDiscord.join(codes[1]!, lostB);
    await gateway.forward(() => []);
    await relayEvent(`${guildId}:session-2`, "GUILD_CREATE", { id: guildId, features: [], vanity_url_code: null });
    await new Promise((r) => setTimeout(r, 3_000));
    await fakeDiscord.join(codes[1]!, after);
    await gateway.forward();
    const rows = await verdictsFor(guildId, [before, after], (r) => r.userId !== after.id || decided(r));
    // The lost joins' increments went to no one: the join before them is proven or left open.
    expect(rows[0]!.code === null || rows[0]!.code === codes[0]).toBe(true);
    // Left open, it says why: the briefing and /invite health count it as a relay gap.
    if (rows[0]!.code === null) expect(rows[0]!.reason).toBe("gap");
    expect(rows[1]!.reason).toBeNull();
    expect(rows[1]).toMatchObject({ method: "diff", code: codes[1] });
    expect((await rowsOf(guildId)).map((r) => r.userId).sort()).toEqual([before.id, after.id].sort());
  });
});
