import { describe, expect, it } from "vitest";
import { canManageGuild } from "../../worker/commands/permissions";
import { integerOption, readSubcommand } from "../../worker/commands/options";
import { failureMessage, type Failure } from "../../worker/commands/failures";
import { normalizeSourceName } from "../../worker/sources/names";
import { parseInviteCode } from "../../worker/sources/invite-code";
import { fitLines } from "../../worker/format/text";
import { formatStats, sparkline } from "../../worker/format/stats";
import { emptyUnattributed } from "../../worker/format/unattributed";
import { english } from "../../worker/i18n/messages";

describe("canManageGuild", () => {
  it.each([
    ["Manage Server", String(1 << 5), true],
    ["Administrator", String(1 << 3), true],
    ["both among others", String((1 << 5) | (1 << 3) | (1 << 11)), true],
    ["Send Messages only", String(1 << 11), false],
    ["nothing", "0", false],
    ["a huge bitfield with Manage Server", (2n ** 50n + 32n).toString(), true],
    ["missing", undefined, false],
    ["not a number", "abc", false],
  ])("%s → %s", (_label, permissions, expected) => {
    expect(canManageGuild(permissions)).toBe(expected);
  });
});

describe("normalizeSourceName", () => {
  it.each([
    ["Reddit Battlefield6", { ok: true, name: "Reddit Battlefield6" }],
    ["  reddit   battlefield6 ", { ok: true, name: "reddit battlefield6" }],
    ["tab\tand\nnewline", { ok: true, name: "tab and newline" }],
    ["   ", { ok: false, problem: "empty" }],
    ["x".repeat(64), { ok: true, name: "x".repeat(64) }],
    ["x".repeat(65), { ok: false, problem: "too_long" }],
    ["bell\u0007", { ok: false, problem: "control_characters" }],
  ])("%j", (input, expected) => {
    expect(normalizeSourceName(input)).toEqual(expected);
  });
});

describe("parseInviteCode", () => {
  it.each([
    ["abc123", "abc123"],
    ["  abc123  ", "abc123"],
    ["discord.gg/abc123", "abc123"],
    ["https://discord.gg/abc123", "abc123"],
    ["https://discord.com/invite/abc123?event=1", "abc123"],
    ["https://discordapp.com/invite/my-vanity/", "my-vanity"],
    ["https://example.com/abc123", null],
    ["has space", null],
    ["a", null],
    ["", null],
  ])("%j → %j", (input, expected) => {
    expect(parseInviteCode(input)).toBe(expected);
  });
});

describe("integer options are checked on the server", () => {
  const call = (value: unknown) => readSubcommand([{ name: "stats", type: 1, options: [{ name: "days", type: 4, value: value as number }] }])!;
  it.each([
    [30, { ok: true, value: 30 }],
    [1, { ok: true, value: 1 }],
    [365, { ok: true, value: 365 }],
    [0, { ok: false }],
    [366, { ok: false }],
    [1.5, { ok: false }],
    ["30", { ok: false }],
  ])("days = %j", (value, expected) => {
    expect(integerOption(call(value), "days", { min: 1, max: 365, default: 30 })).toMatchObject(expected);
  });

  it("uses the default when the option is absent", () => {
    const absent = readSubcommand([{ name: "stats", type: 1 }])!;
    expect(integerOption(absent, "days", { min: 1, max: 365, default: 30 })).toEqual({ ok: true, value: 30 });
  });
});

describe("failureMessage", () => {
  const failures: Failure[] = [
    { kind: "not_in_guild" },
    { kind: "missing_permission" },
    { kind: "unknown_command", name: "x" },
    { kind: "invalid_option", option: "days", expected: { key: "expected.whole_number", values: { min: 1, max: 365 } } },
    { kind: "invalid_source_name", problem: "empty" },
    { kind: "unknown_source", name: "X" },
    { kind: "source_already_retired", name: "X" },
    { kind: "invalid_invite_code", input: "?" },
    { kind: "unknown_invite", code: "abc" },
    { kind: "invite_of_other_guild", code: "abc" },
    { kind: "unknown_channel" },
    { kind: "invite_limit_reached" },
    { kind: "no_unresolved_join", userId: "1" },
    { kind: "discord", failure: { kind: "discord_unavailable", reason: "rate_limited" }, action: { key: "action.list_invites" } },
    { kind: "discord", failure: { kind: "discord", status: 403, code: 50013, message: "Missing Permissions" }, action: { key: "action.create_invite" } },
  ];
  it.each(failures.map((f) => [f.kind, f] as const))("%s has a message an admin can act on", (_kind, failure) => {
    const message = failureMessage(failure, english());
    expect(message.length).toBeGreaterThan(10);
    expect(message).not.toMatch(/undefined|\[object/);
  });
});

describe("formatting within Discord's limits", () => {
  it("summarises lines that do not fit instead of cutting them", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${"x".repeat(30)}`);
    const text = fitLines(lines, undefined, english());
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/…and \d+ more$/);
    const shown = text.split("\n").length - 1;
    expect(text).toContain(`…and ${500 - shown} more`);
  });

  it("shows shares that add up, the named members beside each source, with each cause of a source-less join as its own row", () => {
    const unattributed = emptyUnattributed();
    unattributed.counts = { vanity: 3, unlabelled: 0, no_invite: 1, ambiguous: 0, uncounted: 2, gap: 0 };
    unattributed.vanityCode = "lounge";
    const embed = formatStats(
      [
        { name: "Reddit", retired: false, joins: 4, named: 3 },
        { name: "Old **bold**", retired: true, joins: 2, named: 2 },
      ],
      unattributed,
      7,
      english(),
    );
    expect(embed.title).toBe("Joins in the last 7 days: 12");
    expect(embed.description).toBe(
      [
        "**Reddit**: 4 (3 named) · 33.3%",
        "**Vanity URL** `discord.gg/lounge`: 3 · 25.0%",
        "**Old \\*\\*bold\\*\\*** (retired): 2 (2 named) · 16.7%",
        "*Uncounted* (invites deleted or expired before their last uses were read): 2 · 16.7%",
        "*Moved no invite* (Discovery, OAuth add): 1 · 8.3%",
      ].join("\n"),
    );
    expect(embed.footer?.text).toMatch(/exact even where members cannot be told apart/);
  });

  it.each([
    [[0, 0, 0], "···"],
    [[1, 2, 4, 8], "▂▃▅█"],
    [[5, 0, 5], "█·█"],
  ])("draws daily joins %j as %s", (values, line) => {
    expect(sparkline(values)).toBe(line);
  });
});
