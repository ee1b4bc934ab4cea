// The relay forwards a GUILD_MEMBER_UPDATE only for a member who joined in the last 10 minutes.
import { describe, expect, it } from "vitest";
import { isRecentJoiner, toRelayEvent } from "../../relay/mapping.ts";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const update = (joinedAt: unknown) => ({ guild_id: "710000000000000001", user: { id: "720000000000000001" }, roles: ["730000000000000001"], joined_at: joinedAt });

describe("isRecentJoiner", () => {
  it.each([
    { joinedAt: "2026-11-22T11:59:58.500000+00:00", recent: true },
    { joinedAt: "2026-11-22T11:50:00Z", recent: true },
    { joinedAt: "2026-11-22T11:49:59.999Z", recent: false },
    { joinedAt: "2025-01-01T00:00:00Z", recent: false },
    // Discord's clock a little ahead of ours.
    { joinedAt: "2026-11-22T12:00:01Z", recent: true },
    { joinedAt: "yesterday", recent: false },
    { joinedAt: null, recent: false },
    { joinedAt: undefined, recent: false },
  ])("joined_at $joinedAt -> $recent", ({ joinedAt, recent }) => {
    expect(isRecentJoiner(update(joinedAt), NOW)).toBe(recent);
    expect(toRelayEvent({ t: "GUILD_MEMBER_UPDATE", s: 7, d: update(joinedAt) }, "session", NOW) !== null).toBe(recent);
  });

  it("is not asked of the other events", () => {
    expect(toRelayEvent({ t: "GUILD_MEMBER_ADD", s: 8, d: update("2025-01-01T00:00:00Z") }, "session", NOW)).not.toBeNull();
    expect(isRecentJoiner("not an object", NOW)).toBe(false);
  });
});
