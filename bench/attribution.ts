// bench/attribution: how often the bot names the right invite, and never a wrong one.
//
// 1. A discrete-event simulation (bench/lib/attribution-des.ts) drives the pure
//    attribution module on a virtual clock, the way the GuildInvites Durable Object
//    does, against a Discord as slow and messy as the real one: REST answers in
//    40–300 ms reading the state somewhere inside, gateway events 50–1,000 ms late
//    (2 % of them 2–6 s) but in order, joins that move no invite. The naive rule of
//    most invite trackers (refetch after each join; attribute when exactly one code
//    rose) runs on the same stream with the same latencies. Six traffic shapes, each
//    with 0 %, 10 % and 30 % of joins moving no invite, BENCH_SEEDS seeds (20) of
//    BENCH_DES_JOINS joins (2,000) each.
// 2. Side studies on one shape: what Discord's count lag costs in recall, and what
//    coalescing joins into one refetch costs and saves. And `oauth_study`: on the
//    bursts with 30 % of joins moving no invite, the same stream twice, those joins
//    once unknown Discovery joins and once the bot's own "Join with Discord" adds;
//    the diff's recall on the other joins (the ones through a code) both ways.
// 3. An end-to-end run in real time through POST /relay/events, the Durable Object
//    (wrangler dev) and the Discord simulator (bench/lib/attribution-e2e.ts).
//
// Recall counts the joins that came through a code (an invite or the vanity URL);
// `knowable` is the share of them whose interval between two of the bot's own
// snapshots held joins of that one code only.
//
// Sources: the codes carry bench labels (three sources over the eight invites, one
// for single-use invites; the vanity URL a row of its own). `source_total_error` is
// Σ over report rows |reported − true| ÷ Σ true with totals from the ledger of
// counted uses as the reports compute them; `named_total_error` the same for
// counting named joins (the reports before the ledger); `source_recall` and
// `source_precision` count joins given a source, by code or by candidates (method = source).
//
// Marks: the same runs again with the bot's invites marking their members (every
// labelled code grants its source's role, in the join's event or in an update
// 0.2–1.5 s later, half and half). `marked_recall` is the share of joins through
// marked codes named with their source by the mark (method = role), `marked_precision`
// the share of joins so named that got the right source; `diff_recall_rest` is the
// diff's recall on the joins through unmarked codes (the vanity URL), beside
// `diff_recall_rest_unmarked`, its value on the runs without marks.
// BENCH_DES_ONLY=1 runs the simulation alone (no side studies, no end-to-end run).
import { SHAPES, type DesConfig, type DesResult } from "./lib/attribution-des";
import { simulateAll } from "./lib/attribution-des-pool";
import { runEndToEnd } from "./lib/attribution-e2e";

const SEEDS = Number(process.env.BENCH_SEEDS ?? 20);
const JOINS = Number(process.env.BENCH_DES_JOINS ?? 2_000);
const NONE_SHARES = [0, 0.1, 0.3];
const round = (x: number) => Number(x.toFixed(3));
const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
const started = Date.now();
const progress = (line: string) => process.stderr.write(`[attribution ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

/** Σ over report rows of |reported − true| ÷ Σ true, over every run. */
function totalError(results: readonly DesResult[], reported: (r: DesResult) => Record<string, number>) {
  let error = 0;
  let truth = 0;
  for (const r of results) {
    const shown = reported(r);
    for (const row of new Set([...Object.keys(r.sources.truth), ...Object.keys(shown)])) error += Math.abs((shown[row] ?? 0) - (r.sources.truth[row] ?? 0));
    truth += Object.values(r.sources.truth).reduce((a, n) => a + n, 0);
  }
  return truth === 0 ? 0 : error / truth;
}

/** Mark figures of the marked runs, with the diff's recall on the unmarked codes in the runs without marks beside it. */
function markFigures(marked: readonly DesResult[], unmarked: readonly DesResult[]) {
  const sum = (rs: readonly DesResult[], f: (r: DesResult) => number) => rs.reduce((a, r) => a + f(r), 0);
  const named = sum(marked, (r) => r.marked.right + r.marked.wrong);
  const ratio = (a: number, b: number) => round(b === 0 ? 1 : a / b);
  const rest = (rs: readonly DesResult[]) => {
    const joins = sum(rs, (r) => r.marked.restJoins);
    return joins === 0 ? null : round(sum(rs, (r) => r.marked.restCorrect) / joins);
  };
  return {
    marked_recall: ratio(sum(marked, (r) => r.marked.right), sum(marked, (r) => r.marked.joins)),
    marked_precision: ratio(sum(marked, (r) => r.marked.right), named),
    marked_min_precision: round(Math.min(...marked.map((r) => (r.correct + r.wrong === 0 ? 1 : r.correct / (r.correct + r.wrong))))),
    // Null where no join came through an unmarked code (bursts and raids use invites only).
    diff_recall_rest: rest(marked),
    diff_recall_rest_unmarked: rest(unmarked),
  };
}

function figures(results: readonly DesResult[]) {
  const sum = (f: (r: DesResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const sourceGiven = sum((r) => r.sources.right + r.sources.wrong);
  const codeJoins = sum((r) => r.codeJoins);
  const precisions = results.filter((r) => r.correct + r.wrong > 0).map((r) => r.correct / (r.correct + r.wrong));
  const naiveAttributed = sum((r) => r.naive.correct + r.naive.wrong);
  return {
    min_precision: round(precisions.length > 0 ? Math.min(...precisions) : 1),
    diff_recall: round(sum((r) => r.correct) / codeJoins),
    exact_recall: round(sum((r) => r.exactCorrect) / codeJoins),
    naive_precision: round(naiveAttributed === 0 ? 1 : sum((r) => r.naive.correct) / naiveAttributed),
    naive_recall: round(sum((r) => r.naive.correct) / codeJoins),
    knowable: round(sum((r) => r.knowable) / codeJoins),
    calls_per_join: round(sum((r) => r.calls) / sum((r) => r.joins)),
    naive_calls_per_join: round(sum((r) => r.naive.calls) / sum((r) => r.joins)),
    wrong: sum((r) => r.wrong),
    revisions: sum((r) => r.revisions),
    source_total_error: round(totalError(results, (r) => r.sources.counted)),
    named_total_error: round(totalError(results, (r) => r.sources.named)),
    source_recall: round(sum((r) => r.sources.right) / codeJoins),
    source_precision: round(sourceGiven === 0 ? 1 : sum((r) => r.sources.right) / sourceGiven),
  };
}

const shapeNames = SHAPES.flatMap((shape) => NONE_SHARES.map((none) => ({ shape, none, name: `${shape}+none${Math.round(none * 100)}` })));
const main: DesConfig[] = shapeNames.flatMap(({ shape, none }) => seeds.map((seed) => ({ seed, joins: JOINS, shape, noneShare: none })));
progress(`simulating ${main.length} runs of ${JOINS} joins`);
const results = await simulateAll(main);
progress(`simulating the same ${main.length} runs with marked invites`);
const markedResults = await simulateAll(main.map((c) => ({ ...c, marks: true })));
const ofShape = (rs: readonly DesResult[], s: number) => rs.slice(s * SEEDS, (s + 1) * SEEDS);
const shapes = Object.fromEntries(
  shapeNames.map(({ name }, s) => [name, { ...figures(ofShape(results, s)), ...markFigures(ofShape(markedResults, s), ofShape(results, s)) }]),
);
progress(`simulated: ${JSON.stringify({ ...figures(results), ...markFigures(markedResults, results), shapes })}`);

if (process.env.BENCH_DES_ONLY === "1") {
  console.log(JSON.stringify({ bench: "attribution", seeds: SEEDS, joins_per_run: JOINS, ...figures(results), ...markFigures(markedResults, results), shapes, duration_s: Math.round((Date.now() - started) / 1000) }));
  process.exit(0);
}

// Side studies, on paced joins 3 s apart with 10 % moving no invite: fewer seeds.
const studySeeds = seeds.slice(0, Math.max(1, Math.ceil(SEEDS / 4)));
const study = async (variants: Array<Partial<DesConfig>>) => {
  const configs = variants.flatMap((v) => studySeeds.map((seed) => ({ seed, joins: JOINS, shape: "paced_3s" as const, noneShare: 0.1, ...v })));
  const out = await simulateAll(configs);
  return variants.map((_, i) => figures(out.slice(i * studySeeds.length, (i + 1) * studySeeds.length)));
};
progress("side studies: count lag, coalescing");
const LAGS = [0, 250, 1_000];
const lagFigures = await study(LAGS.map((lag) => ({ worldLagMs: lag, options: { countLagMs: lag } })));
const COALESCE = [0, 250, 750];
const coalesceFigures = await study(COALESCE.map((ms) => ({ options: { coalesceMs: ms } })));

progress("side study: the bot knowing its own joins (Join with Discord)");
const BURSTS = ["burst_one", "burst_spread"] as const;
const oauthStudy = Object.fromEntries(
  await Promise.all(
    BURSTS.map(async (shape) => {
      const ways = [false, true].flatMap((knownNone) => seeds.map((seed) => ({ seed, joins: JOINS, shape, noneShare: 0.3, knownNone })));
      const out = await simulateAll(ways);
      const [unknown, known] = [figures(out.slice(0, SEEDS)), figures(out.slice(SEEDS))];
      return [`${shape}+none30`, { discovery_recall: unknown.diff_recall, join_with_discord_recall: known.diff_recall, min_precision: Math.min(unknown.min_precision, known.min_precision) }] as const;
    }),
  ),
);
progress(`oauth_study: ${JSON.stringify(oauthStudy)}`);

progress("end-to-end run through the Worker and the simulator");
const e2e = await runEndToEnd(progress);

console.log(
  JSON.stringify({
    bench: "attribution",
    seeds: SEEDS,
    joins_per_run: JOINS,
    ...figures(results),
    ...markFigures(markedResults, results),
    shapes,
    lag_recall: Object.fromEntries(LAGS.map((lag, i) => [String(lag), lagFigures[i]!.diff_recall])),
    coalesce: Object.fromEntries(
      COALESCE.map((ms, i) => [String(ms), { diff_recall: coalesceFigures[i]!.diff_recall, calls_per_join: coalesceFigures[i]!.calls_per_join }]),
    ),
    oauth_study: oauthStudy,
    e2e,
    duration_s: Math.round((Date.now() - started) / 1000),
  }),
);
