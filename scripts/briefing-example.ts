// npm run docs:briefing: renders the example weekly briefing in docs/ (the embed
// as Markdown and its PNG chart) with the bot's own composition and renderer, from
// a made-up guild's figures (seeded, so the files change only when the code does).
import fs from "node:fs";
import { Random } from "../simulator/random";
import { nodeRendererAssets } from "./lib/chart-assets";
import { briefingChartSvg, composeBriefing, type BriefingFigures } from "../worker/briefing/compose";
import { renderPng } from "../worker/charts/png";
import { healthLines } from "../worker/health/report";
import { english } from "../worker/i18n/messages";

const random = new Random(48);
const now = Date.parse("2026-11-23T09:00:00Z");
const days = Array.from({ length: 28 }, (_, i) => new Date(now - (27 - i) * 86_400_000).toISOString().slice(0, 10));
// Daily joins per source: a base rate, a weekend lift, noise, and a Reddit post that took off in week 3.
const daily = (base: number, boost = (_d: number) => 0) =>
  days.map((day, d) => Math.max(0, Math.round(base * ([0, 6].includes(new Date(day).getUTCDay()) ? 1.5 : 1) + boost(d) + (random.next() - 0.5) * base)));
const series = [
  { name: "Reddit Battlefield6", values: daily(6, (d) => (d >= 22 && d <= 25 ? 18 - (d - 22) * 4 : 0)) },
  { name: "Direct from MAJ Klaver", values: daily(3) },
  { name: "YouTube description", values: daily(2) },
  { name: "Twitter", values: daily(1) },
  { name: "No source", values: daily(2), color: "#6D6F78" },
];
const week = (values: number[], from: number) => values.slice(from, from + 7).reduce((a, b) => a + b, 0);
const thisWeek = (values: number[]) => week(values, 21);
const lastWeek = (values: number[]) => week(values, 14);
const noSource = series[4]!.values;
const figures: BriefingFigures = {
  now,
  week: "2026-W48",
  sources: series.slice(0, 4).map((s) => ({ name: s.name, joins: thisWeek(s.values), lastWeek: lastWeek(s.values) })),
  unattributed: { counts: { vanity: 6, unlabelled: 1, no_invite: thisWeek(noSource) - 9, ambiguous: 0, uncounted: 2, gap: 0 }, vanityCode: "battlefield" },
  lastWeekUnattributed: lastWeek(noSource),
  retention: { joiners: 143, stillMembers: 121 },
  topInviters: [
    { userId: "284102745019400192", invites: 14 },
    { userId: "300514883912089601", invites: 9 },
    { userId: "412907776223019008", invites: 4 },
  ],
  invitations: { minted: 40, spent: 11, mintedEver: 160, spentEver: 58 },
  warnings: healthLines({
    now,
    lastEventAt: now - 60_000,
    cachedAt: now - 120_000,
    fetchFailures: 0,
    retryAt: null,
    pendingJoins: 0,
    outboxDepth: 0,
    deadLetters: 0,
    rateLimitHits: 0,
    edge: { refusals: 0, blockedUntil: null },
    driftRepaired: 2,
    reconciledAt: now - 180_000,
    cronRuns: { failed: 0, deadLettered: 0, jobs: [] },
    joins: 120,
    unattributed: { counts: { vanity: 6, unlabelled: 1, no_invite: 11, ambiguous: 2, uncounted: 0, gap: 0 }, vanityCode: "battlefield" },
    memberSearch: { enabled: true, lastAnswer: "answered", exact: 0, agreed: 48, disagreed: 0 },
    disagreements: [],
  }, english()).filter((l) => l.level !== "ok"),
  chart: { days, series },
};

const embed = composeBriefing(figures, english());
const png = await renderPng(briefingChartSvg(figures, english()), nodeRendererAssets());
fs.writeFileSync("docs/briefing-example.png", png);
fs.writeFileSync(
  "docs/briefing-example.md",
  [
    "# Example weekly briefing",
    "",
    "Rendered by `npm run docs:briefing` with the bot's own composition (`worker/briefing/compose.ts`) and chart",
    "renderer (`worker/charts/`), from a made-up guild. In Discord the text is an embed and the chart its image.",
    "",
    `**${embed.title}**`,
    "",
    ...embed.description!.split("\n").map((line) => (line === "" ? "" : `> ${line}`)),
    "",
    "![Daily joins over the last four weeks, stacked by source](briefing-example.png)",
    "",
    `*${embed.footer!.text}*`,
    "",
  ].join("\n"),
);
console.log(`wrote docs/briefing-example.md and docs/briefing-example.png (${png.length} bytes)`);
