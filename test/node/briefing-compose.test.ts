import { describe, expect, it } from "vitest";
import { change, chartSeries, composeBriefing, versusLastWeek, type BriefingFigures } from "../../worker/briefing/compose";
import { emptyUnattributed } from "../../worker/format/unattributed";
import { english } from "../../worker/i18n/messages";

const figures = (patch: Partial<BriefingFigures> = {}): BriefingFigures => ({
  now: Date.parse("2026-11-23T09:00:00Z"),
  week: "2026-W48",
  sources: [
    { name: "Reddit", joins: 12, lastWeek: 8 },
    { name: "Twitter", joins: 3, lastWeek: 5 },
    { name: "Newsletter", joins: 2, lastWeek: 0 },
  ],
  unattributed: { counts: { ...emptyUnattributed().counts, vanity: 2, ambiguous: 1 }, vanityCode: "lounge" },
  lastWeekUnattributed: 4,
  retention: { joiners: 17, stillMembers: 15 },
  topInviters: [{ userId: "200000000000000001", invites: 7 }],
  invitations: null,
  warnings: [],
  chart: { days: [], series: [] },
  ...patch,
});

describe("change", () => {
  it.each([
    [5, 3, "+2"],
    [3, 5, "−2"],
    [4, 4, "±0"],
    [2, 0, "new"],
    [0, 0, "±0"],
    [1500, 200, "+1,300"],
  ])("%i after %i is %s", (now, before, text) => {
    expect(change(now, before, english())).toBe(text);
  });
});

describe("versusLastWeek", () => {
  it.each([
    [5, 3, "+2 on last week"],
    [4, 4, "±0 on last week"],
    [2, 0, "none the week before"],
    [0, 0, "none the week before"],
  ])("%i after %i reads %s", (now, before, text) => {
    expect(versusLastWeek(now, before, english())).toBe(text);
  });
});

describe("composeBriefing", () => {
  it("shows the week per source with its change, the causes of source-less joins, retention and inviters", () => {
    const embed = composeBriefing(figures(), english());
    expect(embed.title).toBe("Weekly briefing: 20 joins (+3 on last week)");
    expect(embed.description).toContain("**Reddit**: 12 (+4)\n**Twitter**: 3 (−2)\n**Newsletter**: 2 (new)");
    expect(embed.description).toContain("**No source: 3 (15.0%)**\n• **Vanity URL** `discord.gg/lounge`: 2\n• *Ambiguous* (more than one invite possible): 1");
    expect(embed.description).toContain("**Retention:** 15 of last week's 17 joiners are still here (88.2%).");
    expect(embed.description).toContain("1. <@200000000000000001>: 7");
    expect(embed.description).not.toContain("Invitations");
    expect(embed.description).not.toContain("Needs attention");
    expect(embed.image).toEqual({ url: "attachment://briefing.png" });
    expect(embed.footer).toEqual({ text: "Weekly briefing · 2026-W48" });
  });

  it("adds invitation figures once there are invitations, and health warnings with what to do", () => {
    const embed = composeBriefing(
      figures({
        invitations: { minted: 10, spent: 4, mintedEver: 40, spentEver: 10 },
        warnings: [{ level: "bad", topic: "Invite cache", text: "never fetched", action: "Give the bot **Manage Server**." }],
      }),
      english(),
    );
    expect(embed.description).toContain("**Invitations:** 10 minted, 4 spent this week; 25.0% of all ever minted were spent.");
    expect(embed.description).toContain("**Needs attention**\n❌ Invite cache: never fetched — Give the bot **Manage Server**.");
  });
});

describe("chartSeries", () => {
  it("stacks the top four sources by day, then other sources, then joins with no source", () => {
    const days = ["2026-11-20", "2026-11-21"];
    const rows = [
      ...[1, 2, 3, 4, 5].map((id) => ({ day: "2026-11-20", source_id: id, name: `S${id}`, joins: id * 10 })),
      { day: "2026-11-21", source_id: 1, name: "S1", joins: 1 },
      { day: "2026-11-21", source_id: null, name: null, joins: 6 },
      { day: "2026-10-01", source_id: 5, name: "S5", joins: 99 },
    ];
    const { series } = chartSeries(days, rows, english());
    expect(series).toEqual([
      { name: "S5", values: [50, 0] },
      { name: "S4", values: [40, 0] },
      { name: "S3", values: [30, 0] },
      { name: "S2", values: [20, 0] },
      { name: "Other sources", values: [10, 1], color: "#99AAB5" },
      { name: "No source", values: [0, 6], color: "#6D6F78" },
    ]);
  });

  it("words a first week and a single join in plain English", () => {
    const first = composeBriefing(
      figures({ sources: [{ name: "Reddit", joins: 1, lastWeek: 0 }], unattributed: emptyUnattributed(), lastWeekUnattributed: 0 }),
      english(),
    );
    expect(first.title).toBe("Weekly briefing: 1 join (none the week before)");
  });
});
