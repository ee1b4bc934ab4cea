import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inviteJoins, invites, inviteSources, sourceMarks } from "../../schema";
import { forbiddenInName, sourceNameKey } from "../../worker/sources/names";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { finalReply, inviteInteraction, signedRequest, type InteractionReply } from "./support/interactions";

/** Text chosen to break things: mentions, Markdown, controls, broken UTF-16, SQL and path tricks, folding traps. */
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.constantFrom(
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "**bold** _it_ `code` ||spoiler||",
    "\u202eevil.exe",
    "a\u0000b",
    "\ud800",
    "\u200b",
    "ΟΔΟΣ",
    "İSTANBUL",
    "Straße",
    "x".repeat(6_000),
    "__proto__",
    "constructor",
    "' or 1=1 --",
    "%_\\",
    "../../users/@me",
    "https://discord.gg/@everyone",
  ),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom("@everyone", "@here", "<@&1>")).map(([a, b]) => `${a}${b}${a}`),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 101, 604_801, 2 ** 31, 2 ** 53, -0, 1e300));
const anyValue = fc.oneof(hostileText, hostileNumber, fc.boolean());

type Option = { name: string; type: number; value: unknown };
const str = (name: string, value: fc.Arbitrary<unknown> = hostileText) => value.map((v): Option => ({ name, type: 3, value: v }));
const int = (name: string) => fc.oneof(hostileNumber, anyValue).map((v): Option => ({ name, type: 4, value: v }));
const id = (name: string, type: number, valid: string) =>
  fc.oneof(fc.constant(valid), hostileText).map((v): Option => ({ name, type, value: v }));

/** Options for each subcommand: the ones it reads, hostile, each possibly left out. */
function optionsFor(sub: string, ctx: { channelId: string; userId: string }): fc.Arbitrary<Option[]> {
  const some = (...arbs: Array<fc.Arbitrary<Option>>) =>
    fc.tuple(...arbs.map((a) => fc.option(a, { nil: undefined, freq: 4 }))).map((o) => o.filter((x): x is Option => x !== undefined));
  switch (sub) {
    case "create":
      return some(str("source"), id("channel", 7, ctx.channelId), int("max_uses"), int("max_age"));
    case "assign":
      return some(str("code"), str("source"));
    case "stats":
      return some(int("days"));
    case "recent":
      return some(int("limit"));
    case "retire":
      return some(str("source"));
    case "attribute":
      return some(id("user", 6, ctx.userId), str("source"));
    default:
      return some(str("unexpected", anyValue));
  }
}


/**
 * What must hold for the guild whatever was sent: no half-written row (a
 * source only from a command that said it succeeded), and Discord and the
 * database agree on the bot's invites (`unlabelled` was made in Discord's UI;
 * it is in the database only if assigned).
 */
async function expectConsistent(guildId: string, unlabelled: string, succeededKeys: Set<string>) {
  const [sources, rows, live] = await Promise.all([
    withDb((db) => db.select().from(inviteSources).where(eq(inviteSources.guildId, guildId))),
    withDb((db) => db.select().from(invites).where(eq(invites.guildId, guildId))),
    fakeDiscord.guildInvites(guildId),
  ]);
  for (const source of sources) {
    expect(forbiddenInName(source.name)).toBeNull();
    expect(source.nameKey).toBe(sourceNameKey(source.name));
    expect(succeededKeys).toContain(source.nameKey);
  }
  const liveInDb = rows.filter((r) => r.deletedAt === null).map((r) => r.code).sort();
  const known = live.map((i) => i.code).filter((code) => code !== unlabelled || rows.some((r) => r.code === code));
  expect(liveInDb).toEqual(known.sort());
  for (const row of rows) expect(sources.some((s) => s.id === row.sourceId)).toBe(true);
}

/** What a run that got through looks like, so the fuzz is known to reach past validation. */
const SUCCESS: Record<string, RegExp> = {
  create: /Invite for/,
  assign: /now counts for/,
  list: /Invites \(/,
  stats: /Joins in the last/,
  recent: /Recent joins/,
  retire: /Retired/,
  attribute: /now attributed to/,
};

describe("option fuzz: every /invite subcommand with hostile options", () => {
  it.each(Object.keys(SUCCESS))("/invite %s", async (sub) => {
    const guild = await fakeDiscord.createGuild({ name: `Fuzz ${sub}` });
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id, userId: "400000000000000777" };
    await withDb((db) =>
      db.insert(inviteJoins).values(
        Array.from({ length: 5 }, (_, i) => ({
          guildId: guild.id,
          userId: ctx.userId,
          joinedAt: new Date(Date.now() - i * 60_000),
          method: "unresolved" as const,
          candidates: ["a", "b"],
        })),
      ),
    );
    // Some real invites for assign to find, some sources for retire to hit.
    const existing = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId });
    // Valid options with names that are hostile but legal, so runs also get past validation.
    const legal = fc.constantFrom("ΟΔΟΣ", "οδος", "@everyone", "<@&1> **x** @here");
    const source = (name: string): Option => ({ name: "source", type: 3, value: name });
    const valid = legal.map((name): Option[] =>
      sub === "assign"
        ? [{ name: "code", type: 3, value: existing.code }, source(name)]
        : sub === "attribute"
          ? [{ name: "user", type: 6, value: ctx.userId }, source(name)]
          : [source(name)],
    );
    const succeededKeys = new Set<string>();
    for (const name of ["ΟΔΟΣ", "@everyone"]) {
      await signedRequest(JSON.stringify(inviteInteraction("create", [source(name)] as never, ctx)));
      succeededKeys.add(sourceNameKey(name));
    }
    let succeeded = 0;

    await fc.assert(
      fc.asyncProperty(fc.oneof(optionsFor(sub, ctx), valid), async (options) => {
        const interaction = inviteInteraction(sub, options as never, ctx);
        const response = await signedRequest(JSON.stringify(interaction));
        expect(response.status).toBe(200);
        const body = (await response.json()) as InteractionReply;
        expect([4, 5]).toContain(body.type);
        const reply = await finalReply(body, interaction.token);
        // The marks the bot made itself are mentioned by id (silently): only user text must never become a mention.
        const marks = await withDb((db) => db.select({ roleId: sourceMarks.roleId }).from(sourceMarks).where(eq(sourceMarks.guildId, guild.id)));
        const text = marks.reduce(
          (t, { roleId }) => t.replaceAll(`<@&${roleId}>`, "(mark)"),
          [reply.content ?? "", JSON.stringify((reply as { embeds?: unknown }).embeds ?? [])].join("\n"),
        );
        expect(reply.allowed_mentions).toEqual({ parse: [] });
        expect(text).not.toMatch(/@everyone|@here|<@&/);
        expect(text).not.toMatch(/Something went wrong/);
        if (!SUCCESS[sub]!.test(text)) return;
        succeeded++;
        const named = options.find((o) => o.name === "source")?.value;
        if (typeof named === "string") succeededKeys.add(sourceNameKey(named));
      }),
      { numRuns: 25, seed: 4242 },
    );
    expect(succeeded).toBeGreaterThan(0);
    await expectConsistent(guild.id, existing.code, succeededKeys);
  });
});
