import { describe, expect, it } from "vitest";
import type { DiscordFailure } from "../../worker/discord/rest";
import { handleDmFailure, invitationDm } from "../../worker/invitations/dm";
import { english } from "../../worker/i18n/messages";

describe("invitationDm", () => {
  it.each([
    ["Plain Server", "**You have an invitation to Plain Server!**"],
    ["</title>**bold** [x](https://evil.example)", "**You have an invitation to </title\\>\\*\\*bold\\*\\* \\[x\\]\\(https://evil.example\\)!**"],
    ["@everyone", "**You have an invitation to @\u200beveryone!**"],
    ["`code` _it_ ~~s~~ || x ||", "**You have an invitation to \\`code\\` \\_it\\_ \\~\\~s\\~\\~ \\|\\| x \\|\\|!**"],
    [null, "**You have an invitation to the server!**"],
  ])("escapes the server's name %j", (name, firstLine) => {
    const text = invitationDm(name, "https://invites.test/i/abc", null, english());
    expect(text.split("\n")[0]).toBe(`🎟️ ${firstLine}`);
    expect(text).toContain("https://invites.test/i/abc");
  });

  it("says when the link expires, in Discord's relative time", () =>
    expect(invitationDm("S", "l", new Date(1_800_000_000_000), english())).toContain("It expires <t:1800000000:R>."));
});

describe("handleDmFailure", () => {
  it.each<[DiscordFailure, ReturnType<typeof handleDmFailure>]>([
    [{ kind: "discord", status: 403, code: 50007, message: "Cannot send messages to this user" }, "closed"],
    [{ kind: "discord", status: 404, code: 10013, message: "Unknown User" }, "failed"],
    [{ kind: "discord", status: 403, code: 50013, message: "Missing Permissions" }, "failed"],
    [{ kind: "discord", status: 400, code: 0, message: "?" }, "failed"],
    [{ kind: "discord_unavailable", reason: "server_error" }, "failed_and_stop"],
    [{ kind: "discord_unavailable", reason: "network" }, "failed_and_stop"],
    [{ kind: "discord_unavailable", reason: "rate_limited", retryAfterMs: 60_000 }, "stop"],
    [{ kind: "discord_unavailable", reason: "edge_blocked", retryAfterMs: 5_000 }, "stop"],
  ])("%j → %s", (error, expected) => expect(handleDmFailure(error)).toBe(expected));
});
