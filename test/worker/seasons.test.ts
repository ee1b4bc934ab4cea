import { describe, expect, it } from "vitest";
import { dropRankings } from "../../worker/inviters/ranking";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { inviteInteraction, opt, replyText, runCommandFinal, signedRequest, type InteractionReply } from "./support/interactions";
import { trackedGuild, userAged } from "./support/inviters";

const ADMIN = "200000000000000001";

describe("seasons, exclusions and the stay period, through the commands", () => {
  it("count leaderboards from a season's start, keep past seasons, keep excluded members off, and hold joins as pending", async () => {
    const { guild, ctx, gateway, play } = await trackedGuild("Seasons");
    const [A, B] = [userAged(900), userAged(800)];
    const codeOf: Record<string, string> = {};
    for (const inviter of [A, B]) codeOf[inviter.id] = (await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: inviter.id })).code;
    await gateway.forward();
    const member = { ...ctx, userId: userAged(300).id, permissions: "0" };
    const board = async (options: Parameters<typeof runCommandFinal>[2] = []) => replyText((await runCommandFinal("invites", "leaderboard", options, member)).body.data);
    // A stored ranking is kept up to 5 minutes: after new joins, as if they had passed.
    const later = () => withDb((db) => dropRankings(db, guild.id));
    const admin = async (sub: string, options: Parameters<typeof runCommandFinal>[2] = []) => replyText((await runCommandFinal("invite", sub, options, { ...ctx, userId: ADMIN })).body.data);

    await play(codeOf[A.id]!, userAged(400));
    expect(await board()).toContain(`Top inviters (all time)\n1. <@${A.id}>: **1** invites`);

    // A season: what came before is not counted in it, and nothing is deleted.
    expect(await admin("season start", [opt.str("name", "  Summer ")])).toContain("Started season 1 “Summer”");
    expect(await board()).toContain("Top inviters (season 1 “Summer”)\nNo invites counted yet.");
    await play(codeOf[B.id]!, userAged(401));
    await later();
    expect(await board()).toMatch(new RegExp(`^1\\. <@${B.id}>: \\*\\*1\\*\\* invites.*\\n\\nPage 1 of 1 · 1 inviter `, "m"));
    expect(await admin("season start", [opt.str("name", "Autumn")])).toContain("Season 1 is kept: `/invites leaderboard season:1` shows it.");
    expect(await board()).toContain("Top inviters (season 2 “Autumn”)\nNo invites counted yet.");
    expect(await board([opt.int("season", 1)])).toContain(`Top inviters (season 1 “Summer”)\n1. <@${B.id}>: **1** invites`);
    expect(await board([opt.int("season", 3)])).toBe("There is no season 3. `/invite season list` shows this server's seasons.");
    expect(await board([opt.int("season", 1), opt.int("days", 7)])).toContain("The option `days` must be left out with a past season");
    expect(await admin("season list")).toMatch(/\*\*2\.\*\* Autumn: <t:\d+:d> – now\n\*\*1\.\*\* Summer: <t:\d+:d> – <t:\d+:d>/);
    expect(await admin("season start", [opt.str("name", "\u202eevil")])).toContain("The option `name` must be text of 1 to 64 characters without control characters");

    // Autocomplete names the seasons, for every member.
    const typed = inviteInteraction("leaderboard", [{ name: "season", type: 4, value: "Aut", focused: true }], { ...member, command: "invites" }, 4);
    const suggested = (await (await signedRequest(JSON.stringify(typed))).json()) as InteractionReply;
    expect(suggested.data?.choices).toEqual([{ name: "2 · Autumn", value: 2 }]);

    // Exclusions: off every leaderboard, listed, and back with include.
    expect(await admin("exclude", [opt.user("member", B.id)])).toContain(`<@${B.id}> is kept off leaderboards from now on`);
    expect(await admin("exclude", [opt.user("member", B.id)])).toBe(`<@${B.id}> is already kept off leaderboards.`);
    expect(await board([opt.int("season", 1)])).toContain("No invites counted yet.");
    expect(await admin("exclude")).toMatch(new RegExp(`Kept off leaderboards \\(1\\)\\n<@${B.id}> since <t:\\d+:d>`));
    expect(await admin("include", [opt.user("member", B.id)])).toBe(`<@${B.id}> is back on leaderboards.`);
    expect(await board([opt.int("season", 1)])).toContain(`1. <@${B.id}>: **1** invites`);
    expect(await admin("exclude")).toContain("Nobody is kept off leaderboards.");

    // A stay period: joins younger than it (all of them here) are pending in /invites show and off leaderboards until it passes.
    expect(await admin("settings", [opt.int("count_after_days", 3)])).toContain("**Stay period:** a join counts once the member stayed 3 days");
    expect(await board([opt.int("season", 1)])).toContain("No invites counted yet.");
    const shown = replyText((await runCommandFinal("invites", "show", [opt.user("member", B.id)], member)).body.data);
    expect(shown).toContain(`<@${B.id}> has **0** invites (0 regular, 0 left, 0 fake, +0 bonus, 1 pending)`);
    expect(shown).toMatch(/joined <t:\d+:R> · pending \(stay period\)/);
    expect(await admin("settings", [opt.int("count_after_days", 0)])).toContain("**Stay period:** none");
    expect(await board([opt.int("season", 1)])).toContain(`1. <@${B.id}>: **1** invites`);
  }, 60_000);
});
