import { describe, expect, it } from "vitest";
import { formatRecent, type RecentRow } from "../../worker/format/recent";
import { formatStats } from "../../worker/format/stats";
import { emptyUnattributed } from "../../worker/format/unattributed";
import { english } from "../../worker/i18n/messages";

const row = (fields: Partial<RecentRow>): RecentRow => ({
  userId: "200",
  joinedAt: new Date("2026-11-23T12:00:00Z"),
  inviteCode: null,
  method: "diff",
  candidates: null,
  isRejoin: false,
  sourceName: null,
  kind: "source",
  inviter: null,
  ...fields,
});
const line = (r: RecentRow) => formatRecent([r], english()).description!.replace(/^<t:\d+:R> /, "");

describe("formatRecent", () => {
  it.each<[string, Partial<RecentRow>, string]>([
    ["a source's join by the diff", { kind: "source", sourceName: "Reddit", inviteCode: "abc" }, "<@200>: **Reddit** via `abc` · diff"],
    [
      "a member's invite names its inviter",
      { kind: "unlabelled", inviteCode: "MJnrBLdq9", inviter: { userId: "300", throughInvitation: false } },
      "<@200>: *Invites with no source* via `MJnrBLdq9`, invite from <@300> · diff",
    ],
    [
      "an invitation names its inviter",
      { kind: "source", sourceName: "Friends", inviteCode: "once1", method: "exact", inviter: { userId: "301", throughInvitation: true } },
      "<@200>: **Friends** via `once1`, invitation from <@301> · exact",
    ],
    ["the vanity URL, resolved by member search", { kind: "vanity", inviteCode: "sim-lounge", method: "exact" }, "<@200>: **Vanity URL** `discord.gg/sim-lounge` · exact"],
    ["a Discovery join", { kind: "no_invite", method: "unresolved", candidates: [] }, "<@200>: *Moved no invite* (Discovery, OAuth add)"],
    [
      "a join the bot made itself (Join with Discord)",
      { kind: "unlabelled", method: "oauth", inviter: { userId: "301", throughInvitation: true } },
      "<@200>: *Join with Discord*, invitation from <@301> · oauth",
    ],
    [
      "an ambiguous join with its candidates",
      { kind: "ambiguous", method: "unresolved", candidates: ["a1", "b2"] },
      "<@200>: *Ambiguous* (more than one invite possible): one of `a1`, `b2`",
    ],
    ["a join the relay missed", { kind: "gap", method: "unresolved", candidates: ["a1"] }, "<@200>: *Relay gap* (events lost: missed joins, or joins next to them): one of `a1`"],
    ["a rejoin", { kind: "source", sourceName: "Reddit", inviteCode: "abc", isRejoin: true }, "<@200> (rejoined): **Reddit** via `abc` · diff"],
  ])("%s", (_, fields, expected) => {
    expect(line(row(fields))).toBe(expected);
  });

  it("words each kind as /invite stats does", () => {
    const kinds = ["vanity", "unlabelled", "no_invite", "ambiguous", "gap"] as const;
    const stats = formatStats([], { ...emptyUnattributed(), counts: { vanity: 1, unlabelled: 1, no_invite: 1, ambiguous: 1, uncounted: 0, gap: 1 }, vanityCode: "v" }, 7, english()).description!;
    for (const kind of kinds) {
      const recent = line(row({ kind, method: kind === "vanity" || kind === "unlabelled" ? "exact" : "unresolved", inviteCode: kind === "vanity" ? "v" : null }));
      const words = recent.replace("<@200>: ", "").replace(/ · exact$/, "");
      expect(stats).toContain(`${words}: 1 · 20.0%`);
    }
  });
});
