import { describe, expect, it } from "vitest";
import type { DiscordResult } from "../../worker/discord/rest";
import { markHealthLines, markRoleBody, unmarkedBy, unmarkedNote } from "../../worker/marks/policy";
import { afterRemoval } from "../../worker/marks/removal";
import { english } from "../../worker/i18n/messages";

const discord = (status: number, code: number): DiscordResult<void> => ({ ok: false, error: { kind: "discord", status, code, message: "" } });
const NOW = 1_000_000;

describe("marks, pure", () => {
  it("the bot's mark role has no permissions, no hoist, no mention, and the source's name", () => {
    expect(markRoleBody("Reddit")).toEqual({ name: "Reddit", permissions: 0, hoist: false, mentionable: false });
  });

  it.each([
    [discord(403, 50013), "missing_manage_roles"],
    [discord(400, 30005), "role_cap"],
    [discord(403, 50001), null],
    [{ ok: false, error: { kind: "discord_unavailable", reason: "server_error" } } as DiscordResult<void>, null],
  ] as const)("a refusal to make a mark leaves the invite unmarked only for Manage Roles or the cap (%#)", (result, reason) => {
    expect(result.ok ? null : unmarkedBy(result.error)).toBe(reason);
  });

  it.each(["missing_manage_roles", "role_cap"] as const)("the unmarked reply says what it costs and how to fix it (%s)", (reason) => {
    const note = unmarkedNote(reason, english());
    expect(note).toContain("**unmarked**");
    expect(note).toContain("counting uses");
    expect(note).toContain("`/invite create` again");
  });

  it.each([
    ["a removal that worked is done", { ok: true, value: undefined } as DiscordResult<void>, 0, { kind: "done" }],
    ["a member who left has nothing to remove", discord(404, 10007), 3, { kind: "done" }],
    ["a deleted role has nothing to remove", discord(404, 10011), 3, { kind: "done" }],
    ["a 429 waits its retry_after", { ok: false, error: { kind: "discord_unavailable", reason: "rate_limited", retryAfterMs: 750 } } as DiscordResult<void>, 0, { kind: "retry", notBefore: NOW + 750 }],
    ["an outage backs off", { ok: false, error: { kind: "discord_unavailable", reason: "server_error" } } as DiscordResult<void>, 2, { kind: "retry", notBefore: NOW + 4_000 }],
    ["Manage Roles taken away is retried", discord(403, 50013), 0, { kind: "retry", notBefore: NOW + 1_000 }],
    ["the backoff is capped", discord(403, 50013), 8, { kind: "retry", notBefore: NOW + 256_000 }],
    ["the tenth failure gives up", discord(403, 50013), 9, { kind: "give_up" }],
  ] as const)("%s", (_, result, attempts, step) => {
    expect(afterRemoval(result, attempts, NOW)).toEqual(step);
  });

  it.each([
    [true, "ok", "I have **Manage Roles**"],
    [false, "warn", "I no longer have **Manage Roles**"],
    [null, "warn", "Discord didn't say"],
  ] as const)("health: Manage Roles %s", (manageRoles, level, text) => {
    const [line] = markHealthLines({ markedInvites: 2, markedJoins: 1, manageRoles }, english());
    expect(line).toMatchObject({ level, topic: "Marks" });
    expect(line!.text).toContain("2 marked invites live; 1 join named by mark this week");
    expect(line!.text).toContain(text);
  });
});
