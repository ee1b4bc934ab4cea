import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { fakeDiscord } from "./support/fake-discord";
import { inviteInteraction, opt, runInvite, signedRequest } from "./support/interactions";

/** Freezes (connections stay open, no byte passes) or cuts Postgres at the WebSocket proxy. */
async function outage(mode: "freeze" | "down", on: boolean) {
  await fetch(`http://${inject("wsProxy")}/_control/outage?${mode}=${on ? 1 : 0}`, { method: "POST" });
}

async function deferredReply(token: string, deadlineMs: number) {
  while (Date.now() < deadlineMs) {
    const [message] = await fakeDiscord.webhookMessages(token);
    if (message) return String(message.content);
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

describe("when Postgres does not answer", () => {
  // The first request loads the Worker's modules through the test runner, which takes seconds;
  // what is timed below is the Worker's answer, so a PING loads them first.
  beforeAll(async () => {
    const pong = await signedRequest(JSON.stringify({ id: "1", application_id: "100000000000000001", type: 1, token: "warm-up", version: 1 }));
    expect(await pong.json()).toEqual({ type: 1 });
  });

  afterEach(async () => {
    await outage("freeze", false);
    await outage("down", false);
  });

  it.each([
    ["frozen", "freeze"],
    ["cut off", "down"],
  ] as const)("an admin hears within a few seconds that the database is %s, and nothing reaches Discord", async (_label, mode) => {
    const guild = await fakeDiscord.createGuild({ name: `Outage ${mode}` });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id };
    await outage(mode, true);
    const started = Date.now();
    const { status, body, interaction } = await runInvite("create", [opt.str("source", "During outage")], ctx);
    expect(status).toBe(200);
    const text = body.type === 5 ? await deferredReply(interaction.token, started + 6_000) : body.data?.content;
    expect(text).toMatch(/database isn't answering/);
    // Connect and statement timeouts are 3 s each; only one of them can be spent.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);
  });

  it("autocomplete answers with no suggestions instead of hanging", async () => {
    await outage("freeze", true);
    const started = Date.now();
    const interaction = inviteInteraction("retire", [opt.str("source", "re", true)], { guildId: "1", channelId: "2" }, 4);
    const response = await signedRequest(JSON.stringify(interaction));
    expect(await response.json()).toEqual({ type: 8, data: { choices: [] } });
    expect(Date.now() - started).toBeLessThan(2_900);
  });

  it("works again once Postgres is back", async () => {
    const guild = await fakeDiscord.createGuild({ name: "Outage over" });
    const { body } = await runInvite("create", [opt.str("source", "After outage")], { guildId: guild.id, channelId: guild.channels[0]!.id });
    expect(body.data?.content).toMatch(/Invite for \*\*After outage\*\*/);
  });
});
