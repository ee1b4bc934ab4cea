import { describe, expect, it } from "vitest";
import { emptyUnattributed } from "../../worker/format/unattributed";
import { healthLines, latestSearch, overall, type HealthFigures, type SearchTry } from "../../worker/health/report";
import { english } from "../../worker/i18n/messages";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const healthy: HealthFigures = {
  now: NOW,
  lastEventAt: NOW - 60_000,
  cachedAt: NOW - 120_000,
  fetchFailures: 0,
  retryAt: null,
  pendingJoins: 0,
  outboxDepth: 0,
  deadLetters: 0,
  rateLimitHits: 0,
  edge: { refusals: 0, blockedUntil: null },
  driftRepaired: 0,
  reconciledAt: null,
  cronRuns: { failed: 0, deadLettered: 0, jobs: [] },
  joins: 100,
  unattributed: emptyUnattributed(),
  memberSearch: { enabled: true, lastAnswer: "answered", exact: 0, agreed: 40, disagreed: 0 },
  disagreements: [],
};
const withCounts = (counts: Partial<HealthFigures["unattributed"]["counts"]>) => ({ ...emptyUnattributed(), counts: { ...emptyUnattributed().counts, ...counts } });

describe("healthLines", () => {
  it("says all is well when it is, with no actions", () => {
    const lines = healthLines(healthy, english());
    expect(overall(lines)).toBe("ok");
    expect(lines.every((l) => l.action === undefined)).toBe(true);
    expect(lines.map((l) => l.topic)).toEqual(["Relay", "Invite cache", "Outbox", "Rate limits", "Discord's edge", "Unattributed (7 days)", "Member search", "Cron jobs (1 day)", "Counts (7 days)", "Drift (1 day)"]);
  });

  it.each<[string, Partial<HealthFigures>, "warn" | "bad", string, RegExp]>([
    ["a relay silent for two days", { lastEventAt: NOW - 48 * 3_600_000 }, "warn", "Relay", /relay runs/],
    ["no relay event at all", { lastEventAt: null }, "warn", "Relay", /RELAY_TARGET_URL/],
    ["a cache never fetched", { cachedAt: null }, "bad", "Invite cache", /Manage Server/],
    ["failing refetches", { fetchFailures: 3, retryAt: NOW + 30_000 }, "bad", "Invite cache", /Manage Server/],
    ["a stale cache", { cachedAt: NOW - 3_600_000 }, "warn", "Invite cache", /cron trigger/],
    ["a stale cache that reconcile last matched long ago", { cachedAt: NOW - 3_600_000, reconciledAt: NOW - 1_800_000 }, "warn", "Invite cache", /guild jobs queue/],
    ["failed cron runs", { cronRuns: { failed: 2, deadLettered: 0, jobs: ["briefing"] } }, "warn", "Cron jobs (1 day)", /Send Messages/],
    ["dead-lettered cron jobs", { cronRuns: { failed: 4, deadLettered: 1, jobs: ["reconcile"] } }, "bad", "Cron jobs (1 day)", /dead-lettered/],
    ["dead letters", { deadLetters: 2 }, "bad", "Outbox", /dead-lettered/],
    ["an outbox far behind", { outboxDepth: 500 }, "warn", "Outbox", /DATABASE_URL/],
    ["many rate-limit hits", { rateLimitHits: 50 }, "warn", "Rate limits", /own token/],
    ["Discord's edge refusing the bot now", { edge: { refusals: 3, blockedUntil: NOW + 40_000 } }, "bad", "Discord's edge", /error 1015/],
    ["Discord's edge refusing the bot earlier today", { edge: { refusals: 1, blockedUntil: NOW - 40_000 } }, "warn", "Discord's edge", /clears by itself/],
    ["many ambiguous joins", { unattributed: withCounts({ ambiguous: 30 }) }, "warn", "Unattributed (7 days)", /label invites/],
    ["a diff that disagreed", { memberSearch: { enabled: true, lastAnswer: "answered", exact: 0, agreed: 9, disagreed: 1 } }, "bad", "Member search", /exact confirmation disagreed/],
    ["a refused member search", { memberSearch: { enabled: true, lastAnswer: "refused", exact: 0, agreed: 0, disagreed: 0 } }, "warn", "Member search", /member_search:False/],
    ["drift repaired", { driftRepaired: 4 }, "warn", "Drift (1 day)", /missing invite events/],
    ["a day whose joins no count owns", { disagreements: [{ day: "2026-11-21", unexplained: 3 }] }, "warn", "Counts (7 days)", /snapshot was missed/],
  ])("flags %s and says what to do", (_what, patch, level, topic, action) => {
    const lines = healthLines({ ...healthy, ...patch }, english());
    const line = lines.find((l) => l.topic === topic)!;
    expect(line.level).toBe(level);
    expect(line.action).toMatch(action);
    expect(overall(lines)).toBe(level);
    expect(lines.filter((l) => l.topic !== topic).every((l) => l.level === "ok")).toBe(true);
  });

  it("names each day whose joins and counts disagree, and which way", () => {
    const line = healthLines({ ...healthy, disagreements: [{ day: "2026-11-21", unexplained: 3 }, { day: "2026-11-22", unexplained: -2 }] }, english()).find((l) => l.topic === "Counts (7 days)")!;
    expect(line.text).toBe("2026-11-21: 3 joins no count owns; 2026-11-22: 2 counted uses no join owns");
  });

  it("takes a cache reconcile matched with Discord's list as fresh, however old its last fetch", () => {
    const line = healthLines({ ...healthy, cachedAt: NOW - 6 * 3_600_000, reconciledAt: NOW - 240_000 }, english()).find((l) => l.topic === "Invite cache")!;
    expect(line).toEqual({ level: "ok", topic: "Invite cache", text: "matched Discord's list 4 min ago (fetched 6 h ago)" });
  });

  it("suggests member search for ambiguous joins when it is off, and names every cause", () => {
    const lines = healthLines({ ...healthy, unattributed: withCounts({ ambiguous: 25, no_invite: 5 }), memberSearch: { enabled: false, lastAnswer: null, exact: 0, agreed: 0, disagreed: 0 } }, english());
    const line = lines.find((l) => l.topic === "Unattributed (7 days)")!;
    expect(line.text).toBe("30 of 100 (30%): moved no invite 5, ambiguous 25");
    expect(line.action).toMatch(/member_search:True/);
    expect(lines.find((l) => l.topic === "Member search")!.text).toBe("off in `/invite settings`");
  });

  const searchLine = (memberSearch: Partial<HealthFigures["memberSearch"]>) =>
    healthLines({ ...healthy, memberSearch: { ...healthy.memberSearch, ...memberSearch } }, english()).find((l) => l.topic === "Member search")!.text;
  it.each<[string, Partial<HealthFigures["memberSearch"]>, string]>([
    ["never asked, nothing resolved", { lastAnswer: null, exact: 0, agreed: 0 }, "not tried yet"],
    ["the object's lookups resolved joins before any hourly check", { lastAnswer: null, exact: 36, agreed: 0 }, "answers; 36 joins resolved by it (7 days); no join checked yet"],
    ["one join resolved, checks too", { lastAnswer: "answered", exact: 1, agreed: 3 }, "answers; 1 join resolved by it (7 days); the diff agreed on 3 of 3 (100%)"],
    ["answered, nothing resolved yet", { lastAnswer: "answered", exact: 0, agreed: 0 }, "answers; no join checked yet"],
  ])("member search: %s", (_what, memberSearch, text) => {
    expect(searchLine(memberSearch)).toBe(text);
  });

  const at = (answer: SearchTry["answer"], when: number): SearchTry => ({ answer, at: when });
  it.each<[string, SearchTry | null, SearchTry | null, SearchTry | null]>([
    ["neither asked", null, null, null],
    ["only the hourly job asked", at("refused", 1), null, at("refused", 1)],
    ["only the object asked", null, at("answered", 2), at("answered", 2)],
    ["the object asked later", at("refused", 1), at("answered", 2), at("answered", 2)],
    ["the hourly job asked later", at("unavailable", 3), at("answered", 2), at("unavailable", 3)],
  ])("the latest member search: %s", (_what, job, object, latest) => {
    expect(latestSearch(job, object)).toEqual(latest);
  });

  it.each<[string, Partial<HealthFigures>, string, string]>([
    ["an empty outbox", { outboxDepth: 0, pendingJoins: 0 }, "Outbox", "0 rows waiting, 0 joins pending"],
    ["one row and one join", { outboxDepth: 1, pendingJoins: 1 }, "Outbox", "1 row waiting, 1 join pending"],
    ["no 429", { rateLimitHits: 0 }, "Rate limits", "0 hits in the last day"],
    ["one 429", { rateLimitHits: 1 }, "Rate limits", "1 hit in the last day"],
    ["an edge refusing now", { edge: { refusals: 2, blockedUntil: NOW + 39_500 } }, "Discord's edge", "refusing the bot (error 1015), 2 refusals in the last day; every Discord call waits 40 s more"],
    ["one invite repaired", { driftRepaired: 1 }, "Drift (1 day)", "1 invite repaired by reconcile"],
    ["one failed run", { cronRuns: { failed: 1, deadLettered: 0, jobs: ["briefing"] } }, "Cron jobs (1 day)", "1 failed run: briefing"],
    ["one failed refetch", { fetchFailures: 1, cachedAt: NOW - 60_000 }, "Invite cache", "1 min ago; the last refetch failed"],
    ["two failed refetches", { fetchFailures: 2, cachedAt: NOW - 60_000 }, "Invite cache", "1 min ago; the last 2 refetches failed"],
  ])("words counts in plain English: %s", (_what, patch, topic, text) => {
    expect(healthLines({ ...healthy, ...patch }, english()).find((l) => l.topic === topic)!.text).toBe(text);
  });
});
