import type { APIEmbed } from "discord-api-types/payloads/v10";
import { describe, expect, it } from "vitest";
import { composeBriefing, type BriefingFigures } from "../../worker/briefing/compose";
import { inviteCommand, invitationsCommand, invitesCommand } from "../../worker/commands/definitions";
import { failureMessage, type Failure } from "../../worker/commands/failures";
import { MESSAGE_LIMITS } from "../../worker/discord/limits";
import { forgetReport } from "../../worker/format/forget";
import { describeSettings } from "../../worker/format/invitation-settings";
import { mintSummary } from "../../worker/format/mint";
import { waveLine } from "../../worker/format/waves";
import { formatHealth } from "../../worker/format/health";
import { formatInviter, formatLeaderboard } from "../../worker/format/inviters";
import { formatInviteList } from "../../worker/format/invites";
import { formatRecent } from "../../worker/format/recent";
import { formatSettings } from "../../worker/format/settings";
import { formatSourceDetail, formatStats } from "../../worker/format/stats";
import { UNATTRIBUTED_KINDS } from "../../worker/format/unattributed";
import { healthLines, overall, type HealthFigures } from "../../worker/health/report";
import { localizeCommands } from "../../worker/i18n/commands";
import { languageLine } from "../../worker/i18n/language-option";
import { LOCALES } from "../../worker/i18n/locales";
import { catalogMessages } from "../../worker/i18n/messages";
import { invitationDm } from "../../worker/invitations/dm";
import { windowLabel } from "../../worker/inviters/season-window";
import { summaryLine } from "../../worker/join-log/summary";
import { defaultJoinMessage, defaultLeaveMessage } from "../../worker/join-log/template";
import { marksEmbed } from "../../worker/marks/settings";
import { markNote, retireMarkNote, unmarkedNote } from "../../worker/marks/policy";
import { memberListPage, raidMessage, type RaidFacts } from "../../worker/raids/message";
import { describeRaidSettings } from "../../worker/raids/settings";
import { validateRequestBody } from "../../simulator/spec-validation";
import { PSEUDO_LOCALE, pseudoCatalog } from "../worker/support/pseudo-locale";

/**
 * Every message in a language ~40 % longer than English (the pseudo-locale),
 * driven through the real formatters with long inputs: nothing may need
 * cutting to fit Discord's limits, and the registered commands stay valid.
 */
const catalog = pseudoCatalog();
const m = catalogMessages(PSEUDO_LOCALE, catalog);

const NOW = new Date("2026-11-23T12:00:00Z");
const LONG = "S".repeat(64);
const id = (n: number) => String(100000000000000000n + BigInt(n));

function embedProblems(embed: APIEmbed): string[] {
  const problems: string[] = [];
  const check = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && (text.length === 0 || text.length > max)) problems.push(`${what}: ${text.length} > ${max}`);
  };
  check("title", embed.title, MESSAGE_LIMITS.title);
  check("description", embed.description, MESSAGE_LIMITS.description);
  check("footer", embed.footer?.text, MESSAGE_LIMITS.footer);
  for (const field of embed.fields ?? []) {
    check("field name", field.name, MESSAGE_LIMITS.fieldName);
    check("field value", field.value, MESSAGE_LIMITS.fieldValue);
  }
  const total = [embed.title, embed.description, embed.footer?.text, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])].join("").length;
  if (total > MESSAGE_LIMITS.embedsTotal) problems.push(`total ${total}`);
  return problems;
}

const counts = { regular: 12_345, left: 1_234, fake: 123, bonus: -42, pending: 7 };
const unattributed = { counts: Object.fromEntries(UNATTRIBUTED_KINDS.map((k) => [k, 1_234])) as Record<(typeof UNATTRIBUTED_KINDS)[number], number>, vanityCode: "vanity-code" };
const badHealth: HealthFigures = {
  now: NOW.getTime(),
  lastEventAt: NOW.getTime() - 3 * 86_400_000,
  cachedAt: NOW.getTime() - 86_400_000,
  fetchFailures: 3,
  retryAt: NOW.getTime() + 60_000,
  pendingJoins: 1_000,
  outboxDepth: 5_000,
  deadLetters: 12,
  rateLimitHits: 500,
  edge: { refusals: 40, blockedUntil: NOW.getTime() + 600_000 },
  driftRepaired: 30,
  reconciledAt: null,
  cronRuns: { failed: 9, deadLettered: 3, jobs: ["reconcile", "briefing", "member-sync", "invitations", "exact-confirm"] },
  joins: 10_000,
  unattributed,
  memberSearch: { enabled: true, lastAnswer: "answered", exact: 300, agreed: 90, disagreed: 10 },
  disagreements: Array.from({ length: 7 }, (_, i) => ({ day: `2026-11-${10 + i}`, unexplained: i % 2 ? 40 : -40 })),
};
const raid: RaidFacts = {
  alertId: 7,
  inviteCode: "AbCdEfGhIj",
  sourceName: LONG,
  phase: "update",
  startedAt: NOW,
  lastJoinAt: NOW,
  endedAt: NOW,
  joins: 12_345,
  perMinute: 456,
  peakPerMinute: 789,
  written: 12_000,
  young: 6_000,
  fakeAccountAgeDays: 7,
};
const briefing: BriefingFigures = {
  now: NOW.getTime(),
  week: "2026-W48",
  sources: Array.from({ length: 14 }, (_, i) => ({ name: `${LONG}${i}`, joins: 1_000 + i, lastWeek: 900 })),
  unattributed,
  lastWeekUnattributed: 10,
  retention: { joiners: 5_000, stillMembers: 4_000 },
  topInviters: Array.from({ length: 5 }, (_, i) => ({ userId: id(i), invites: 1_000 })),
  invitations: { minted: 1_000, spent: 500, mintedEver: 10_000, spentEver: 5_000 },
  warnings: healthLines(badHealth, m).filter((l) => l.level !== "ok"),
  chart: { days: [], series: [] },
};

const embeds: Array<[string, APIEmbed]> = [
  ["stats", formatStats(Array.from({ length: 40 }, (_, i) => ({ name: `${LONG}${i}`, retired: i % 2 === 0, joins: 1_000 + i, named: 900 })), unattributed, 365, m)],
  [
    "source detail",
    formatSourceDetail(
      {
        name: LONG,
        retired: true,
        invites: Array.from({ length: 30 }, (_, i) => ({ code: `code${i}`, uses: 99, maxUses: 100, deleted: i % 3 === 0, marked: i % 2 === 0 })),
        daily: Array.from({ length: 365 }, (_, i) => ({ day: `2026-01-${i}`, joins: i })),
        joins: 123_456,
        named: 100_000,
        stillMembers: 90_000,
      },
      365,
      m,
    ),
  ],
  [
    "recent",
    formatRecent(
      Array.from({ length: 25 }, (_, i) => ({
        userId: id(i),
        joinedAt: NOW,
        inviteCode: "abcdefghij",
        method: i % 2 ? ("unresolved" as const) : ("exact" as const),
        candidates: ["aaaaaaaa", "bbbbbbbb", "cccccccc"],
        isRejoin: true,
        sourceName: i % 3 ? LONG : null,
        kind: i % 3 ? ("source" as const) : UNATTRIBUTED_KINDS[i % UNATTRIBUTED_KINDS.length]!,
        inviter: { userId: id(1000 + i), throughInvitation: i % 2 === 0 },
      })),
      m,
    ),
  ],
  ["invite list", formatInviteList(Array.from({ length: 1000 }, (_, i) => ({ code: `code${i}`, source: LONG, uses: 99, maxUses: 100, expiresAt: NOW, marked: true })), m)],
  [
    "inviter",
    formatInviter(id(1), counts, Array.from({ length: 10 }, (_, i) => ({ userId: id(i), joinedAt: NOW, leftAt: NOW, fakeReason: i % 2 ? ("young_account" as const) : null, pending: false })), 12_345, m),
  ],
  [
    "leaderboard",
    formatLeaderboard(
      { rows: Array.from({ length: 10 }, (_, i) => ({ userId: id(i), ...counts })), inviters: 123_456, computedAt: NOW },
      12,
      windowLabel({ season: { number: 12, name: LONG, startedAt: NOW }, days: 365 }, m),
      m,
    ),
  ],
  ["health", formatHealth(healthLines(badHealth, m), overall(healthLines(badHealth, m)), m)],
  ["briefing", composeBriefing(briefing, m)],
  ["raid alert", raidMessage(raid, m).embeds[0]!],
  ["raid summary", raidMessage({ ...raid, phase: "end" }, m).embeds[0]!],
  ["raid members", memberListPage(raid, Array.from({ length: 20 }, (_, i) => ({ userId: id(i), joinedAt: NOW })), 12_345, 3, m).embeds[0]!],
  [
    "settings",
    {
      ...formatSettings({ briefingChannelId: id(1), briefingDay: 3, briefingHour: 9, timezone: "America/Argentina/Buenos_Aires", memberSearch: true }, true, m),
      fields: [
        { name: "invitations", value: describeSettings({ guildId: id(1), waveSize: 10_000, waveEveryDays: 365, wavePolicy: "spent_since", waveMinDays: 3650, expiresDays: 365, growthTarget: 100_000, invitationChannelId: id(2), welcomeChannelId: id(3) } as never, m) },
        { name: "marks", value: marksEmbed(true, m).description },
        { name: "raids", value: describeRaidSettings({ channelId: id(4), threshold: 10_000 }, m) },
        { name: "language", value: languageLine(null, "pt-BR", m) },
      ],
    },
  ],
];

const failures: Failure[] = [
  { kind: "not_in_guild" },
  { kind: "missing_permission" },
  { kind: "unknown_command", name: "x".repeat(64) },
  { kind: "malformed_interaction" },
  { kind: "duplicate_interaction" },
  { kind: "database_unavailable" },
  { kind: "invalid_option", option: "timezone", expected: { key: "expected.timezone" } },
  { kind: "invalid_source_name", problem: "broken_text" },
  { kind: "unknown_source", name: LONG },
  { kind: "retire_incomplete", name: LONG, deleted: 3, remaining: 97, code: "abcdefghij", failure: { kind: "discord", status: 400, code: 0, message: "m".repeat(200) } },
  { kind: "cannot_post_in_channel", channelId: id(1) },
  { kind: "mark_taken", roleId: id(2), holder: LONG },
  { kind: "role_unusable", roleId: id(3), problem: { kind: "role_not_below_bot", name: "r".repeat(100), botTop: "b".repeat(100) } },
  { kind: "rewards_removed" },
  { kind: "invalid_template", option: "join_message", problems: [{ kind: "unknown_placeholder", name: "x".repeat(40) }, { kind: "too_long", max: 1000 }] },
  { kind: "discord", failure: { kind: "discord_unavailable", reason: "edge_blocked" }, action: { key: "action.delete_invite_revoked", values: { code: "abcdefghij" } } },
];

const contents: Array<[string, string]> = [
  ...failures.map((f) => [`failure ${f.kind}`, failureMessage(f, m)] as [string, string]),
  ["mint", mintSummary({ name: "spent_since", minDays: 3650 }, { dryRun: false, eligible: 1_000, requested: 10_000, recipients: Array.from({ length: 1000 }, (_, i) => id(i)), seed: "f".repeat(32), waveId: 123, expiresAt: NOW }, m)],
  ["forget", forgetReport(id(1), { "invite_joins.user_id": 5, "exact_checks.user_id": 5, "invitations.inviter_id": 5, "invitations.invited_id": 1, "invites.inviter_id": 5, "invitation_claims.user_id": 2, "inviter_bonuses.user_id": 3, "inviter_bonuses.created_by": 3, "leaderboard_ranks.user_id": 2, "waves.created_by": 2, "guild_settings.updated_by": 1 }, m)],
  ["invitation DM", invitationDm("s".repeat(100), `https://invites.example/i/${"c".repeat(32)}`, NOW, m)],
  ["join summary", summaryLine(Array.from({ length: 12 }, (_, i) => ({ method: "exact", sourceName: `${LONG}${i}`, vanity: false })), m)],
  ["create notes", `${unmarkedNote("role_cap", m)}${markNote(id(1), true, m)}${retireMarkNote({ kept: [id(1)], deleted: [id(2)], adminKept: [id(3)] }, false, m)}`],
  ["wave line", waveLine({ waveId: 1, createdAt: NOW, policy: "spent_since:30", minted: 10_000, notified: 10_000, spent: 10_000, spendRate: 1, medianHoursToSpend: 100 } as never, m)],
];

describe("Discord's limits in a long language (pseudo-locale)", () => {
  it.each(embeds)("the %s embed fits without cutting", (_, embed) => expect(embedProblems(embed)).toEqual([]));

  it.each(contents)("%s fits a message's 2,000 characters", (_, content) => {
    expect(content.length).toBeGreaterThan(0);
    expect(content.length).toBeLessThanOrEqual(MESSAGE_LIMITS.content);
  });

  it("default join and leave templates leave room for their values (half the content limit)", () => {
    expect(defaultJoinMessage(m).length).toBeLessThanOrEqual(MESSAGE_LIMITS.content / 2);
    expect(defaultLeaveMessage(m).length).toBeLessThanOrEqual(MESSAGE_LIMITS.content / 2);
  });

  it("button labels fit 80 characters", () => {
    const labels = [...raidMessage(raid, m).components, ...memberListPage(raid, [], 100, 1, m).components].flatMap(
      (row) => (row as { components: Array<{ label: string }> }).components.map((b) => b.label),
    );
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(80);
  });

  describe("the registered commands, with the pseudo-locale as every translation", () => {
    const localized = localizeCommands(
      [inviteCommand, invitesCommand, invitationsCommand],
      LOCALES.filter((l) => l !== "en-US").map((l) => [l, catalog] as const),
    );
    type Node = { name: string; description: string; description_localizations?: Record<string, string>; options?: Node[]; choices?: Array<{ name: string; name_localizations?: Record<string, string> }> };
    const nodes: Node[] = [];
    const walk = (n: Node) => {
      nodes.push(n);
      n.options?.forEach(walk);
    };
    (localized as unknown as Node[]).forEach(walk);

    it("validate against Discord's OpenAPI spec", () => {
      expect(validateRequestBody("put", "/applications/{application_id}/commands", localized)).toEqual([]);
    });

    it.each(nodes.map((n) => [n.name, n] as const))("%s: a valid name, descriptions of 1-100 characters in every language", (_, node) => {
      expect(node.name).toMatch(/^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u);
      expect(node.name).toBe(node.name.toLowerCase());
      for (const text of [node.description, ...Object.values(node.description_localizations ?? {})]) {
        expect(text.length, text).toBeGreaterThan(0);
        expect(text.length, text).toBeLessThanOrEqual(100);
      }
      expect(Object.keys(node.description_localizations ?? {})).toHaveLength(LOCALES.length - 1);
      for (const choice of node.choices ?? []) {
        for (const name of [choice.name, ...Object.values(choice.name_localizations ?? {})]) {
          expect(name.length, name).toBeGreaterThan(0);
          expect(name.length, name).toBeLessThanOrEqual(100);
        }
      }
    });
  });
});
