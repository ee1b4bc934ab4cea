/**
 * Invites that grant roles (Create Channel Invite's `role_ids`), as the simulator plays
 * Discord: checked like Discord checks them, listed on invite objects and INVITE_CREATE,
 * and given to whoever joins through them, in the add or in an update shortly after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../../simulator/server";
import { validateResponse } from "../../simulator/spec-validation";
import { fakeApi, fakeControl } from "./support/fake-http";

let discord: FakeDiscord;
let nextId = 941000000000000000n;
const user = () => ({ id: String(nextId++), username: `marked${nextId}` });

const api = (method: string, path: string, body?: unknown) => fakeApi(discord, method, path, body);
const control = (method: string, path: string, body?: unknown) => fakeControl(discord, method, path, body);

beforeAll(async () => {
  discord = await startFakeDiscord({ latency: false, seed: 19 });
});
afterAll(() => discord.close());

/** A guild with a role below the bot's and one above it. */
async function guild(options: { bot_permissions?: string; mark_delivery?: string } = {}) {
  const g = (await control("POST", "/guilds", { name: "marks", ...(options.bot_permissions ? { bot_permissions: options.bot_permissions } : {}) })).body as {
    id: string;
    channels: Array<{ id: string }>;
  };
  if (options.mark_delivery) await control("PATCH", `/guilds/${g.id}/behaviour`, { mark_delivery: options.mark_delivery });
  const below = (await control("POST", `/guilds/${g.id}/roles`, { name: "Reddit" })).body as { id: string };
  const above = (await control("POST", `/guilds/${g.id}/roles`, { name: "Mods", position: 5 })).body as { id: string };
  return { guildId: g.id, channelId: g.channels[0]!.id, below: below.id, above: above.id };
}
type Event = { t: string; d: { roles?: string[]; role_ids?: string[]; user?: { id: string }; code?: string }; happened_at: number };
const events = async (guildId: string) => (await control("GET", `/guilds/${guildId}/events?wait=true`)).body as Event[];

describe("Create Channel Invite with role_ids", () => {
  it("lists the roles on the invite objects and INVITE_CREATE", async () => {
    const { guildId, channelId, below } = await guild();
    const created = await api("POST", `/channels/${channelId}/invites`, { max_age: 0, unique: true, role_ids: [below] });
    expect(created.status).toBe(200);
    expect(created.body.roles).toEqual([expect.objectContaining({ id: below, name: "Reddit" })]);
    expect(validateResponse("post", "/channels/{channel_id}/invites", 200, created.body)).toEqual([]);
    const listed = (await api("GET", `/guilds/${guildId}/invites`)).body as Array<{ code: string; roles?: Array<{ id: string }> }>;
    expect(validateResponse("get", "/guilds/{guild_id}/invites", 200, listed)).toEqual([]);
    expect(listed.find((i) => i.code === created.body.code)?.roles?.map((r) => r.id)).toEqual([below]);
    expect((await api("GET", `/invites/${created.body.code}`)).body.roles.map((r: { id: string }) => r.id)).toEqual([below]);
    expect((await events(guildId)).find((e) => e.t === "INVITE_CREATE" && e.d.code === created.body.code)?.d.role_ids).toEqual([below]);
  });

  it("does not hand back an unmarked invite for a marked one", async () => {
    const { channelId, below } = await guild();
    const plain = await api("POST", `/channels/${channelId}/invites`, { max_age: 0 });
    const marked = await api("POST", `/channels/${channelId}/invites`, { max_age: 0, role_ids: [below] });
    expect(marked.body.code).not.toBe(plain.body.code);
  });

  it.each([
    { name: "an unknown role", roles: (_: Awaited<ReturnType<typeof guild>>) => ["123456789012345678"], status: 400, code: 50035 },
    { name: "a role above the bot's", roles: (g: Awaited<ReturnType<typeof guild>>) => [g.below, g.above], status: 403, code: 50013 },
    { name: "@everyone", roles: (g: Awaited<ReturnType<typeof guild>>) => [g.guildId], status: 403, code: 50013 },
  ])("refuses $name", async ({ roles, status, code }) => {
    const g = await guild();
    const answer = await api("POST", `/channels/${g.channelId}/invites`, { max_age: 0, role_ids: roles(g) });
    expect(answer).toMatchObject({ status, body: { code } });
    if (code === 50035) expect(answer.body.errors.role_ids["0"]._errors[0].code).toBe("INVALID_ROLE");
  });

  it("refuses any role without Manage Roles", async () => {
    const g = await guild({ bot_permissions: String((1n << 0n) | (1n << 5n)) });
    expect(await api("POST", `/channels/${g.channelId}/invites`, { max_age: 0, role_ids: [g.below] })).toMatchObject({ status: 403, body: { code: 50013 } });
    expect((await api("POST", `/channels/${g.channelId}/invites`, { max_age: 0 })).status).toBe(200);
  });
});

describe("joining through a marked invite", () => {
  it.each(["add", "update"])("delivers the roles in the %s", async (delivery) => {
    const { guildId, channelId, below } = await guild({ mark_delivery: delivery });
    const { code } = (await api("POST", `/channels/${channelId}/invites`, { max_age: 0, role_ids: [below] })).body as { code: string };
    const [marked, other] = [user(), user()];
    await control("POST", `/invites/${code}/join`, { user: marked });
    // Joins that move no invite never carry marks.
    await control("POST", `/guilds/${guildId}/discovery/join`, { user: other });
    const seen = await events(guildId);
    const add = seen.find((e) => e.t === "GUILD_MEMBER_ADD" && e.d.user!.id === marked.id)!;
    const updates = seen.filter((e) => e.t === "GUILD_MEMBER_UPDATE");
    expect(seen.find((e) => e.t === "GUILD_MEMBER_ADD" && e.d.user!.id === other.id)?.d.roles).toEqual([]);
    if (delivery === "add") {
      expect(add.d.roles).toEqual([below]);
      expect(updates).toEqual([]);
    } else {
      expect(add.d.roles).toEqual([]);
      expect(updates.map((u) => [u.d.user!.id, u.d.roles])).toEqual([[marked.id, [below]]]);
      expect(updates[0]!.happened_at - add.happened_at).toBeGreaterThanOrEqual(200);
      expect(updates[0]!.happened_at - add.happened_at).toBeLessThanOrEqual(1_500 + 50);
    }
    expect(((await api("GET", `/guilds/${guildId}/members/${marked.id}`)).body as { roles: string[] }).roles).toEqual([below]);
  });

  it("mixes both by default", async () => {
    const { guildId, channelId, below } = await guild();
    const { code } = (await api("POST", `/channels/${channelId}/invites`, { max_age: 0, role_ids: [below] })).body as { code: string };
    for (let i = 0; i < 12; i++) await control("POST", `/invites/${code}/join`, { user: user() });
    const seen = await events(guildId);
    const inAdd = seen.filter((e) => e.t === "GUILD_MEMBER_ADD" && e.d.roles?.includes(below)).length;
    const inUpdate = seen.filter((e) => e.t === "GUILD_MEMBER_UPDATE").length;
    expect(inAdd + inUpdate).toBe(12);
    expect(inAdd).toBeGreaterThan(0);
    expect(inUpdate).toBeGreaterThan(0);
  });

  it("refuses an unknown mark_delivery", async () => {
    const { guildId } = await guild();
    expect((await control("PATCH", `/guilds/${guildId}/behaviour`, { mark_delivery: "later" })).status).toBe(400);
  });
});
