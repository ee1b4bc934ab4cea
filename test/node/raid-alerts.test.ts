import { describe, expect, it } from "vitest";
import { NO_INVITE, observeJoins, QUIET_MS, raidKey, tickRaids, UPDATE_EVERY_MS, type RaidState, type RaidVerdict } from "../../worker/raids/detector";
import { listButtonId, memberListPage, parseRaidButton, pauseButtonId, raidMessage, youngShare, type RaidFacts } from "../../worker/raids/message";
import { describeRaidSettings, objectThreshold, readRaidPatch } from "../../worker/raids/settings";
import { english } from "../../worker/i18n/messages";

describe("raidKey: what a verdict counts under", () => {
  it.each<[string, RaidVerdict, string | null]>([
    ["a diff names its code", { kind: "diff", code: "abc" }, "abc"],
    ["the vanity URL", { kind: "vanity", code: "cool" }, "cool"],
    ["member search", { kind: "exact", code: "abc" }, "abc"],
    ["moved no count: no invite", { kind: "unresolved", candidates: [] }, NO_INVITE],
    ["surely one of candidates that are all one code", { kind: "unresolved", candidates: ["abc", "abc"], throughCandidate: true }, "abc"],
    ["ambiguous between codes", { kind: "unresolved", candidates: ["abc", "def"], throughCandidate: true }, null],
    ["one code, but moving nothing not ruled out", { kind: "unresolved", candidates: ["abc"] }, null],
    ["next to a gap", { kind: "unresolved", candidates: [], gap: true }, null],
    ["a mark with its code", { kind: "role", code: "abc", candidates: [] }, "abc"],
    ["a mark whose source has one code", { kind: "role", code: null, candidates: ["abc"] }, "abc"],
    ["a mark between its source's codes", { kind: "role", code: null, candidates: ["abc", "def"] }, null],
  ])("%s", (_, verdict, key) => {
    expect(raidKey(verdict)).toBe(key);
  });
});

/** `n` joins through `key`, one every `every` ms from `from`. */
const joins = (key: string, n: number, from: number, every: number) => Array.from({ length: n }, (_, i) => ({ key, at: from + i * every }));
const T0 = 1_800_000_000_000;
const rules = (threshold: number) => ({ threshold, updateEveryMs: UPDATE_EVERY_MS });

describe("observeJoins: a raid starts at the threshold, once", () => {
  it.each([
    ["below the threshold: nothing", 9, 10, []],
    ["at the threshold: a start", 10, 10, ["start"]],
    ["well past it: still one start", 50, 10, ["start"]],
  ])("%s", (_, n, threshold, phases) => {
    const batch = joins("abc", n, T0, 100);
    const { effects } = observeJoins({}, batch, T0 + n * 100, rules(threshold));
    expect(effects.map((e) => e.phase)).toEqual(phases);
  });

  it("counts each key apart: 6 + 6 joins through two codes are no raid at 10", () => {
    const { effects } = observeJoins({}, [...joins("abc", 6, T0, 100), ...joins("def", 6, T0, 100)], T0 + 1_000, rules(10));
    expect(effects).toEqual([]);
  });

  it("forgets joins older than a minute: 5 then 5 a minute later is no raid at 10", () => {
    const first = observeJoins({}, joins("abc", 5, T0, 100), T0 + 500, rules(10));
    const second = observeJoins(first.state, joins("abc", 5, T0 + 61_000, 100), T0 + 61_500, rules(10));
    expect(second.effects).toEqual([]);
  });

  it.each([
    ["before the update interval: no update", UPDATE_EVERY_MS - 1_000, []],
    ["after it: one update, with the joins and the peak", UPDATE_EVERY_MS + 1_000, ["update"]],
  ])("%s", (_, later, phases) => {
    const started = observeJoins({}, joins("abc", 10, T0, 100), T0 + 1_000, rules(10));
    const more = observeJoins(started.state, joins("abc", 5, T0 + later - 500, 100), T0 + later, rules(10));
    expect(more.effects.map((e) => e.phase)).toEqual(phases);
    expect(more.state.abc!.raid).toMatchObject({ joins: 15, id: started.effects[0]!.raid.id });
  });
});

describe("tickRaids: a raid ends after a quiet period, with a summary", () => {
  const open = (): RaidState => observeJoins({}, joins("abc", 20, T0, 50), T0 + 1_000, rules(10)).state;

  it("still at the rate: no end, and an update look soon", () => {
    const { effects, wakeAt } = tickRaids(open(), T0 + 30_000, rules(10));
    expect(effects).toEqual([]);
    expect(wakeAt).toBe(T0 + 30_000 + UPDATE_EVERY_MS);
  });

  it("below the rate, not yet quiet long enough: no end, a look when it would be", () => {
    const quiet = tickRaids(open(), T0 + 61_000, rules(10));
    const { effects, wakeAt } = tickRaids(quiet.state, T0 + 61_000 + QUIET_MS - 1_000, rules(10));
    expect(effects).toEqual([]);
    expect(wakeAt).toBe(T0 + 61_000 + QUIET_MS);
  });

  it("ends once the rate stayed below the threshold for QUIET_MS, and then has nothing left to look at", () => {
    const quiet = tickRaids(open(), T0 + 61_000, rules(10));
    const ended = tickRaids(quiet.state, T0 + 61_000 + QUIET_MS, rules(10));
    expect(ended.effects).toMatchObject([{ phase: "end", key: "abc", raid: { joins: 20, peakPerMinute: 20 } }]);
    expect(ended.wakeAt).toBeNull();
    expect(ended.state).toEqual({});
  });

  it("a lull shorter than the quiet period does not split the raid", () => {
    const quiet = tickRaids(open(), T0 + 61_000, rules(10));
    const back = observeJoins(quiet.state, joins("abc", 10, T0 + 90_000, 100), T0 + 91_000, rules(10));
    expect(back.effects.map((e) => e.phase)).not.toContain("start");
    const later = tickRaids(back.state, T0 + 61_000 + QUIET_MS, rules(10));
    expect(later.effects.map((e) => e.phase)).not.toContain("end");
  });
});

const facts = (patch: Partial<RaidFacts> = {}): RaidFacts => ({
  alertId: 7,
  inviteCode: "abc123",
  sourceName: "Reddit",
  phase: "start",
  startedAt: new Date(T0),
  lastJoinAt: new Date(T0 + 30_000),
  endedAt: null,
  joins: 60,
  perMinute: 60,
  peakPerMinute: 60,
  written: 50,
  young: 21,
  fakeAccountAgeDays: 7,
  ...patch,
});

describe("raidMessage", () => {
  const text = (m: ReturnType<typeof raidMessage>) => [m.content, m.embeds[0]!.title, m.embeds[0]!.description].join("\n");
  const buttons = (m: ReturnType<typeof raidMessage>) => (m.components[0] as { components: Array<{ label: string; custom_id: string }> }).components;

  it.each<[string, Partial<RaidFacts>, string[], string[]]>([
    ["an ongoing raid through a source", {}, ["Raid in progress", "**Reddit** (`abc123`)", "60 joins a minute", "42 % (21 of 50) younger than 7 days", "you decide"], ["Pause this invite", "List the members"]],
    ["a code with no source", { sourceName: null }, ["`abc123` (no source)"], ["Pause this invite", "List the members"]],
    ["Discovery joins: no invite, nothing to pause", { inviteCode: null, sourceName: null }, ["through no invite"], ["List the members"]],
    ["the summary", { phase: "end", endedAt: new Date(T0 + 200_000), peakPerMinute: 80 }, ["Raid over", "Raid summary", "60 joins through **Reddit**", "**Peak:** 80 joins a minute"], ["Pause this invite", "List the members"]],
  ])("%s", (_, patch, says, labels) => {
    const message = raidMessage(facts(patch), english());
    for (const s of says) expect(text(message)).toContain(s);
    expect(buttons(message).map((b) => b.label)).toEqual(labels);
  });

  it("escapes a source name: no markdown, no ping", () => {
    expect(text(raidMessage(facts({ sourceName: "**@everyone**" }), english()))).not.toContain("@everyone");
  });

  it.each([
    [0, 0, "no joins written yet"],
    [3, 1, "33 % (1 of 3)"],
  ])("youngShare(%i written, %i young)", (written, young, says) => {
    expect(youngShare({ written, young, fakeAccountAgeDays: 1 }, english())).toContain(says);
  });
});

describe("parseRaidButton: only the ids the bot makes", () => {
  it.each([
    [pauseButtonId("abc123"), { kind: "pause", code: "abc123" }],
    [listButtonId(7, 0, "a"), { kind: "list", alertId: 7, page: 0, fromAlert: true }],
    [listButtonId(7, 3, "n"), { kind: "list", alertId: 7, page: 3, fromAlert: false }],
    ["raid:pause:abc/../x", null],
    ["raid:pause:", null],
    ["raid:list:0:0:a", null],
    ["raid:list:99999999999:0:a", null],
    ["raid:list:7:0:x", null],
    ["raid:list:7:-1:a", null],
  ])("%s", (id, expected) => {
    expect(parseRaidButton(id)).toEqual(expected);
  });
});

describe("memberListPage", () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: String(300000000000000000n + BigInt(i)), joinedAt: new Date(T0) }));
  it.each([
    [5, 5, 0, 0, "5 members · page 1 of 1"],
    [45, 20, 0, 2, "45 members · page 1 of 3"],
    [45, 5, 2, 2, "45 members · page 3 of 3"],
  ])("%i members, %i shown on page %i: %i buttons", (total, shown, page, buttonCount, footer) => {
    const result = memberListPage(facts(), members(shown), total, page, english());
    expect(result.embeds[0]!.footer.text).toBe(footer);
    expect(result.embeds[0]!.description.split("\n")).toHaveLength(shown);
    expect(result.components.flatMap((r) => r.components)).toHaveLength(buttonCount);
  });
});

describe("readRaidPatch: settings validation", () => {
  const call = (entries: Array<[string, string | number | boolean]>) => ({ name: "settings", options: new Map(entries) });
  it.each<[string, Array<[string, string | number | boolean]>, unknown]>([
    ["nothing", [], { ok: true, value: {} }],
    ["a channel", [["raid_alert_channel", "123456789012345678"]], { ok: true, value: { channelId: "123456789012345678" } }],
    ["a threshold", [["raid_threshold", 50]], { ok: true, value: { threshold: 50 } }],
    ["0 turns alerts off", [["raid_threshold", 0]], { ok: true, value: { channelId: null } }],
    ["0 with a channel is refused", [["raid_alert_channel", "123456789012345678"], ["raid_threshold", 0]], { ok: false, failure: { kind: "invalid_option", option: "raid_threshold" } }],
    ["a negative threshold", [["raid_threshold", -1]], { ok: false, failure: { kind: "invalid_option", option: "raid_threshold" } }],
    ["a huge one", [["raid_threshold", 10_001]], { ok: false, failure: { kind: "invalid_option", option: "raid_threshold" } }],
    ["a fraction", [["raid_threshold", 2.5]], { ok: false, failure: { kind: "invalid_option", option: "raid_threshold" } }],
    ["a channel that is no id", [["raid_alert_channel", "general"]], { ok: false, failure: { kind: "invalid_option", option: "raid_alert_channel" } }],
  ])("%s", (_, entries, expected) => {
    expect(readRaidPatch(call(entries) as never)).toMatchObject(expected as object);
  });

  it.each([
    [{ channelId: null, threshold: 30 }, null, "off"],
    [{ channelId: "123456789012345678", threshold: 40 }, 40, "40 joins a minute"],
  ])("%j: the object counts against %j", (settings, threshold, says) => {
    expect(objectThreshold(settings)).toBe(threshold);
    expect(describeRaidSettings(settings, english())).toContain(says);
  });
});
