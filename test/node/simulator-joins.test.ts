/**
 * Joins that move no invite (Server Discovery, an OAuth guilds.join add) and
 * Discord's refusal of members-search to bots: the simulator plays both, so
 * the bot is measured on the traffic it will meet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import type { JoinRecord } from "../../simulator/state";
import { fakeApi, fakeControl } from "./support/fake-http";

let discord: FakeDiscord;
let nextId = 940000000000000000n;
const user = () => ({ id: String(nextId++), username: `joiner${nextId}` });

const api = (method: string, path: string, body?: unknown, target = discord) => fakeApi(target, method, path, body);
const control = (method: string, path: string, body?: unknown, target = discord) => fakeControl(target, method, path, body);

beforeAll(async () => {
  // Latency is not what these tests are about; the timing tests cover it.
  discord = await startFakeDiscord({ latency: false, seed: 8 });
});
afterAll(() => discord.close());

async function guildWithInvite() {
  const guild = (await control("POST", "/guilds", { name: "joins", vanity_url_code: `vj${nextId}` })).body as { id: string };
  const invite = (await control("POST", `/guilds/${guild.id}/invites`, { max_age: 0, uses: 4 })).body as { code: string };
  return { guildId: guild.id, code: invite.code };
}
const counts = async (guildId: string) => ({
  invites: ((await api("GET", `/guilds/${guildId}/invites`)).body as Array<{ code: string; uses: number }>).map((i) => [i.code, i.uses]),
  vanity: ((await api("GET", `/guilds/${guildId}/vanity-url`)).body as { uses: number }).uses,
});

describe("joins that move no invite", () => {
  it.each([
    { way: "discovery", type: 3 },
    { way: "oauth", type: 1 },
  ])("a $way join adds the member and GUILD_MEMBER_ADD, raises no count, and is in the truth log", async ({ way, type }) => {
    const { guildId } = await guildWithInvite();
    const before = await counts(guildId);
    const joiner = user();
    const joined = await control("POST", `/guilds/${guildId}/${way}/join`, { user: joiner });
    expect(joined.status).toBe(200);
    expect(joined.body.join).toMatchObject({ user_id: joiner.id, invite_code: null, inviter_id: null, join_source_type: type, via: way });
    expect(await counts(guildId)).toEqual(before);

    const events = (await control("GET", `/guilds/${guildId}/events?wait=true`)).body as Array<{ t: string; d: { user: { id: string }; joined_at: string } }>;
    const added = events.filter((e) => e.t === "GUILD_MEMBER_ADD");
    expect(added.map((e) => e.d.user.id)).toEqual([joiner.id]);
    expect(added[0]!.d.joined_at).toBe(joined.body.join.joined_at);

    const search = await api("POST", `/guilds/${guildId}/members-search`, { and_query: { user_id: { or_query: [joiner.id] } } });
    expect(search.body.members).toEqual([expect.objectContaining({ source_invite_code: null, join_source_type: type, inviter_id: null })]);
    expect((await control("GET", `/guilds/${guildId}/joins`)).body).toEqual([joined.body.join]);
  });

  it("plays Discovery and OAuth joins, alone or mixed into an invite's, and the counts move only for invite joins", async () => {
    const { guildId, code } = await guildWithInvite();
    const alone = (await control("POST", `/guilds/${guildId}/play`, { invite: "discovery", count: 3 })).body.joins as JoinRecord[];
    expect(alone.map((j) => j.via)).toEqual(["discovery", "discovery", "discovery"]);

    const played = (await control("POST", `/guilds/${guildId}/play`, { invite: code, count: 300, mix: { discovery: 0.2, oauth: 0.1 } }))
      .body.joins as JoinRecord[];
    const share = (via: string) => played.filter((j) => j.via === via).length / played.length;
    expect(share("discovery")).toBeGreaterThan(0.12);
    expect(share("discovery")).toBeLessThan(0.28);
    expect(share("oauth")).toBeGreaterThan(0.04);
    expect(share("oauth")).toBeLessThan(0.16);
    expect(share("invite") + share("discovery") + share("oauth")).toBe(1);
    const viaInvite = played.filter((j) => j.via === "invite");
    expect(viaInvite.every((j) => j.invite_code === code && j.join_source_type === 5)).toBe(true);
    expect((await counts(guildId)).invites).toEqual([[code, 4 + viaInvite.length]]);
  });

  it.each([
    { name: "an unknown way", body: { invite: "carrier-pigeon", count: 1 }, status: 404 },
    { name: "a mix over 1", body: { invite: "vanity", count: 1, mix: { discovery: 0.7, oauth: 0.4 } }, status: 400 },
    { name: "a mix with an unknown way", body: { invite: "vanity", count: 1, mix: { hub: 0.1 } }, status: 400 },
  ])("refuses to play $name", async ({ body, status }) => {
    const { guildId } = await guildWithInvite();
    expect((await control("POST", `/guilds/${guildId}/play`, body)).status).toBe(status);
  });
});

describe("members-search refused to bots", () => {
  const refusal = { message: "Bots cannot use this endpoint", code: 20001 };
  const search = (guildId: string, target = discord) => api("POST", `/guilds/${guildId}/members-search`, { limit: 10 }, target);

  it("answers 403 code 20001 in a guild whose behaviour says refuse, and answers again when switched back", async () => {
    const { guildId } = await guildWithInvite();
    const other = await guildWithInvite();
    expect((await control("PATCH", `/guilds/${guildId}/behaviour`, { member_search: "refuse" })).body.member_search).toBe("refuse");
    expect(await search(guildId)).toEqual({ status: 403, body: refusal });
    expect((await search(other.guildId)).status).toBe(200);
    await control("PATCH", `/guilds/${guildId}/behaviour`, { member_search: "answer" });
    expect((await search(guildId)).status).toBe(200);
  });

  it("refuses in every guild when started with memberSearch: refuse, unless a guild says answer", async () => {
    const refusing = await startFakeDiscord({ latency: false, memberSearch: "refuse" });
    try {
      const [a, b] = [refusing.state.createGuild({ name: "a" }), refusing.state.createGuild({ name: "b" })];
      expect(await search(a.id, refusing)).toEqual({ status: 403, body: refusal });
      await control("PATCH", `/guilds/${b.id}/behaviour`, { member_search: "answer" }, refusing);
      expect((await search(b.id, refusing)).status).toBe(200);
      expect((await control("GET", "/behaviour", undefined, refusing)).body.member_search).toBe("refuse");
    } finally {
      await refusing.close();
    }
  });
});
