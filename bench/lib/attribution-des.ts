// A discrete-event simulation of one guild on a virtual clock: Discord (joins that
// raise a count after a lag, or move nothing; single-use invites; the vanity URL;
// REST answers that read the state somewhere inside their latency; gateway events
// delivered late but in order, a few of them seconds late), the bot's pure
// attribution module driven the way the GuildInvites Durable Object drives it, and
// the naive bot most invite trackers are (refetch after each join; attribute when
// exactly one code rose) on the same stream. No I/O: thousands of joins a second.
import { addFetch, addGap, addInviteEvents, addJoin, decide, DEFAULT_OPTIONS, emptyTimeline, type AttributionOptions, type FreshInvite, type Timeline, type Verdict } from "../../worker/attribution";
import { fetchLedgerRows, sourceOfCandidates, windowTotals, type LedgerRow } from "../../worker/counted-uses";
import { markedCodes, readMarks } from "../../worker/marks";
import { prng } from "./prng";

export type ShapeName = "paced_10s" | "paced_3s" | "paced_1s" | "burst_one" | "burst_spread" | "raid";
export const SHAPES: readonly ShapeName[] = ["paced_10s", "paced_3s", "paced_1s", "burst_one", "burst_spread", "raid"];

export interface DesConfig {
  seed: number;
  joins: number;
  shape: ShapeName;
  /** Share of joins that move no invite (Discovery, OAuth adds). */
  noneShare: number;
  /**
   * Those joins are the bot's own ("Join with Discord"): it knows each before its
   * event arrives, so they take no increment (TimelineJoin.movedNothing). The
   * stream is the same either way: the flag draws nothing from the PRNG.
   */
  knownNone?: boolean;
  /** Discord's own count lag in this world (each join's count moves 0..this after its stamp). */
  worldLagMs?: number;
  /** Bound on |Discord's clock − ours| in this world. */
  worldSkewMs?: number;
  /** Share of joins whose event arrives seconds late (everything after it waits: order holds). */
  stragglerShare?: number;
  /** Lost sessions: this many times, events of a few seconds are lost and GUILD_CREATE arrives again. */
  lostSessions?: number;
  /**
   * The bot's invites mark their members: each labelled code (all but the vanity URL)
   * grants its source's role, half the time in the join's event, half in an update
   * 0.2–1.5 s after it.
   */
  marks?: boolean;
  options?: Partial<AttributionOptions>;
}

export interface DesResult {
  joins: number;
  /** Joins that came through a code (an invite or the vanity URL): recall's denominator. */
  codeJoins: number;
  /** Final verdicts of the diff alone (member search refused). */
  correct: number;
  wrong: number;
  /**
   * Correct with member search answering: every join written unresolved is looked up
   * at once, and Discord names its invite (the lookups are `lookups`).
   */
  exactCorrect: number;
  lookups: number;
  /** Code joins whose interval between the bot's snapshots held joins of that code only. */
  knowable: number;
  calls: number;
  revisions: number;
  naive: { correct: number; wrong: number; calls: number };
  /** Joins the bot never heard of (lost sessions). */
  lost: number;
  /** Joins heard of but never given a verdict: a bug. */
  unjudged: number;
  /** Wrong attributions, for debugging: a wrong code, or candidates a join surely came through that miss its code. */
  wrongs: Array<{ id: string; truth: string | null; verdict: string }>;
  /**
   * Sources (bench labels of the codes, SOURCE_OF): joins given a source (by code or,
   * `method = source`, by candidates) that got it right and wrong; and per report row
   * (each source, "vanity", "none" for moved no invite, "uncounted", "gap") the true
   * joins, the totals from the ledger as the reports compute them, and the named joins today's reports counted.
   */
  sources: { right: number; wrong: number; truth: Record<string, number>; counted: Record<string, number>; named: Record<string, number> };
  /**
   * Joins through marked codes, those given their source by the mark (method = role)
   * and those given a wrong one (any role verdict on another join too); the joins
   * through unmarked codes (the vanity URL) and those the diff named right.
   */
  marked: { joins: number; right: number; wrong: number; restJoins: number; restCorrect: number };
}

/** The bench's labels: codes grouped into sources, single-use invites one source of their own; the vanity URL has none. */
function sourceOf(code: string): string | null {
  if (code === VANITY) return null;
  if (code.startsWith("su")) return "invitations";
  const n = Number(code.slice(3));
  return n < 2 ? "forum" : n < 4 ? "reddit" : "youtube";
}
/** The bench's mark of a code: its source's role (the vanity URL has none, and no role). */
const markOf = (code: string) => `mark:${sourceOf(code)}`;
/** The report row a code's joins belong to. */
const rowOf = (code: string | null) => (code === null ? "none" : code === VANITY ? "vanity" : sourceOf(code)!);

type Route = { kind: "invite"; code: string } | { kind: "vanity" } | { kind: "single" } | { kind: "none" };
interface TrueJoin {
  id: string;
  at: number;
  route: Route;
  /** The code it used, resolved when it happens (single-use invites are minted for it). */
  code: string | null;
  effectAt: number;
}

const VANITY = "vanity";
const CODES = Array.from({ length: 8 }, (_, i) => `inv${i}`);

/** A binary heap of timed callbacks; ties run in insertion order. */
class Agenda {
  private heap: Array<{ at: number; seq: number; run: () => void }> = [];
  private seq = 0;
  now = 0;
  at(at: number, run: () => void) {
    const item = { at: Math.max(at, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  run() {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        for (let i = 0; ; ) {
          const [l, r] = [2 * i + 1, 2 * i + 2];
          let m = i;
          if (l < h.length && less(h[l]!, h[m]!)) m = l;
          if (r < h.length && less(h[r]!, h[m]!)) m = r;
          if (m === i) break;
          [h[m], h[i]] = [h[i]!, h[m]!];
          i = m;
        }
      }
      this.now = top.at;
      top.run();
    }
  }
}
const less = (a: { at: number; seq: number }, b: { at: number; seq: number }) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** When each join happens and how: the traffic shape, before any join is made to move nothing. */
function arrivals(shape: ShapeName, count: number, rng: ReturnType<typeof prng>): Array<{ at: number; route: Route }> {
  const exp = (mean: number) => -mean * Math.log(1 - rng.next());
  // Popular invites get most joins (a Zipf-like weighting), then the vanity URL, then single-use invites.
  const mixed = (): Route => {
    const x = rng.next();
    if (x < 0.1) return { kind: "vanity" };
    if (x < 0.18) return { kind: "single" };
    return { kind: "invite", code: CODES[Math.min(CODES.length - 1, Math.floor(-Math.log(1 - rng.next()) * 2))]! };
  };
  const out: Array<{ at: number; route: Route }> = [];
  let t = 10_000;
  const paced = (mean: number) => {
    t += exp(mean);
    out.push({ at: t, route: mixed() });
  };
  while (out.length < count) {
    switch (shape) {
      case "paced_10s":
        paced(10_000);
        break;
      case "paced_3s":
        paced(3_000);
        break;
      case "paced_1s":
        paced(1_000);
        break;
      case "burst_one":
      case "burst_spread": {
        t += exp(20_000);
        const size = rng.int(5, 20);
        const pool = shape === "burst_one" ? [rng.pick(CODES)] : [...CODES].sort(() => rng.next() - 0.5).slice(0, rng.int(3, 4));
        for (let i = 0; i < size; i++) {
          t += exp(100);
          out.push({ at: t, route: { kind: "invite", code: rng.pick(pool) } });
        }
        break;
      }
      case "raid": {
        t += exp(60_000);
        const code = rng.pick(CODES);
        const start = t;
        const times = Array.from({ length: 50 }, () => start + rng.next() * 5_000).sort((a, b) => a - b);
        for (const at of times) out.push({ at, route: { kind: "invite", code } });
        t = start + 5_000;
        for (let i = rng.int(0, 4); i > 0; i--) paced(10_000);
        break;
      }
    }
  }
  return out.slice(0, count);
}

export function simulate(config: DesConfig): DesResult {
  const rng = prng(config.seed * 7919 + SHAPES.indexOf(config.shape) * 104_729 + Math.round(config.noneShare * 1000));
  const worldLag = config.worldLagMs ?? 0;
  const skewBound = config.worldSkewMs ?? 100;
  // Our clock reads Discord's plus this offset.
  // Whole milliseconds throughout, like Discord's timestamps (and no rounding loops).
  const offset = Math.round((rng.next() * 2 - 1) * skewBound);
  const opts: AttributionOptions = { ...DEFAULT_OPTIONS, countLagMs: worldLag, ...config.options };
  const agenda = new Agenda();
  const ours = () => agenda.now + offset;

  // --- Discord ---
  const uses = new Map<string, number>(CODES.map((c) => [c, rng.int(0, 50)]));
  const singles = new Map<string, { createdAt: number; consumed: boolean }>();
  let vanityUses = rng.int(0, 500);
  const truth: TrueJoin[] = [];
  let lastDelivery = 0;
  const lostWindows: Array<[number, number]> = [];
  const deliver = (happenedAt: number, event: () => void) => {
    const straggler = rng.next() < (config.stragglerShare ?? 0.02);
    lastDelivery = Math.max(lastDelivery, happenedAt + (straggler ? rng.int(2_000, 6_000) : rng.int(50, 1_000)));
    if (lostWindows.some(([from, to]) => happenedAt >= from && happenedAt < to)) return;
    agenda.at(lastDelivery, event);
  };
  const restLatency = () => rng.int(40, 300);
  const marks = (code: string) => (config.marks ? { roles: [markOf(code)] } : {});
  const invitesNow = (): FreshInvite[] => [
    ...CODES.map((code) => ({ code, uses: uses.get(code)!, maxUses: 0, maxAge: 0, createdAt: 0, expiresAt: null, ...marks(code) })),
    ...[...singles.entries()].filter(([, s]) => !s.consumed).map(([code, s]) => ({ code, uses: 0, maxUses: 1, maxAge: 0, createdAt: s.createdAt, expiresAt: null, ...marks(code) })),
  ];
  /** A REST read: answered after its latency, the state read at an instant inside it. */
  const read = <T>(startedAt: number, look: () => T, answered: (value: T, readAt: number, answeredAt: number) => void) => {
    const latency = restLatency();
    const readAt = startedAt + Math.floor(rng.next() * latency);
    let value: T;
    agenda.at(readAt, () => (value = look()));
    agenda.at(startedAt + latency, () => answered(value, readAt, startedAt + latency));
  };

  // --- the bot: the pure module, driven as the Durable Object drives it ---
  let timeline: Timeline = emptyTimeline();
  let fetching = false;
  let alarmAt: number | null = null;
  let calls = 0;
  let revisions = 0;
  const verdicts = new Map<string, Verdict>();
  const ledger: LedgerRow[] = [];
  const snapshotReads: number[] = [];
  const wake = (at: number) => {
    if (alarmAt !== null && alarmAt <= at) return;
    alarmAt = at;
    agenda.at(at - offset, () => {
      if (alarmAt !== at) return;
      alarmAt = null;
      alarm();
    });
  };
  /** Writes the decision's verdicts; true when a fetch is due. */
  const lookedUp = new Set<string>();
  const apply = (d: ReturnType<typeof decide>): boolean => {
    timeline = d.timeline;
    for (const { join, verdict } of d.verdicts) {
      if (verdicts.has(join.eventId)) revisions++;
      verdicts.set(join.eventId, verdict);
      if (verdict.kind === "unresolved") lookedUp.add(join.eventId);
    }
    if (d.fetchAt !== null && d.fetchAt <= ours()) return true;
    const next = [d.fetchAt, d.wakeAt].filter((t): t is number => t !== null);
    if (next.length > 0) wake(Math.max(ours(), Math.min(...next)));
    return false;
  };
  const alarm = () => {
    if (fetching || !apply(decide(timeline, ours(), opts))) return;
    fetching = true;
    calls += 2;
    const startedAt = agenda.now;
    // The invite list and the vanity count are two requests, sent together.
    let invitesRead: { invites: FreshInvite[]; answeredAt: number } | null = null;
    let vanityRead: { uses: number; answeredAt: number } | null = null;
    const both = () => {
      if (!invitesRead || !vanityRead) return;
      const before = timeline;
      timeline = addFetch(
        timeline,
        {
          invites: invitesRead.invites,
          startedAt: startedAt + offset,
          answeredAt: invitesRead.answeredAt + offset,
          vanity: { value: { code: VANITY, uses: vanityRead.uses }, startedAt: startedAt + offset, answeredAt: vanityRead.answeredAt + offset },
        },
        opts,
      );
      ledger.push(...fetchLedgerRows(before, timeline, new Set(invitesRead.invites.map((i) => i.code)), false));
      fetching = false;
      if (apply(decide(timeline, ours(), opts))) wake(ours());
    };
    read(startedAt, invitesNow, (invites, readAt, answeredAt) => {
      snapshotReads.push(readAt);
      invitesRead = { invites, answeredAt };
      both();
    });
    read(startedAt, () => vanityUses, (uses, _, answeredAt) => {
      vanityRead = { uses, answeredAt };
      both();
    });
  };
  const heard = new Set<string>();
  const byBot = new Set<string>();
  const onJoin = (id: string, joinedAt: number, roles: string[], ownAdd: boolean) => {
    heard.add(id);
    if (ownAdd) byBot.add(id);
    const markCodes = markedCodes(roles, timeline.cache);
    timeline = addJoin(timeline, {
      eventId: id,
      userId: id,
      joinedAt,
      receivedAt: ours(),
      ...(markCodes ? { markCodes } : {}),
      ...(ownAdd ? { movedNothing: true as const, pinned: true } : {}),
    });
    wake(ours() + opts.countLagMs + opts.coalesceMs);
  };
  const onMemberUpdate = (id: string, joinedAt: number, roles: string[]) => {
    const before = timeline;
    timeline = readMarks(timeline, { userId: id, joinedAt, roles }, ours(), opts.freezeMs);
    if (timeline !== before) wake(ours());
  };

  // --- the naive bot, as the seed ran it: on each join, at once, one refetch of what ours
  // reads (the invite list and the vanity count); when it answers, the codes that rose
  // since the last answer: exactly one is the join's, else unknown. ---
  const naiveVerdicts = new Map<string, string | null>();
  let naiveCalls = 0;
  let naiveLast: Map<string, number> | null = null;
  const counts = () => new Map([...invitesNow().map((i) => [i.code, i.uses] as const), [VANITY, vanityUses]]);
  const onNaiveJoin = (id: string) => {
    naiveCalls += 2;
    read(agenda.now, () => invitesNow(), (invites) => {
      read(agenda.now, () => vanityUses, (vanity) => {
        const after = new Map([...invites.map((i) => [i.code, i.uses] as const), [VANITY, vanity]]);
        const before = naiveLast;
        naiveLast = after;
        const rose = before ? [...after].filter(([code, n]) => n > (before.get(code) ?? 0)).map(([code]) => code) : [];
        naiveVerdicts.set(id, rose.length === 1 ? rose[0]! : null);
      });
    });
  };
  // Both bots start from a look at the guild.
  agenda.at(0, () => {
    fetching = true;
    calls += 2;
    read(0, invitesNow, (invites, readAt, answeredAt) => {
      snapshotReads.push(readAt);
      timeline = addFetch(timeline, { invites, startedAt: offset, answeredAt: answeredAt + offset, vanity: { value: { code: VANITY, uses: vanityUses }, startedAt: answeredAt + offset, answeredAt: answeredAt + offset } }, opts);
      fetching = false;
    });
    naiveLast = counts();
  });

  // --- the world's joins ---
  const planned = arrivals(config.shape, config.joins, rng).map((a, i) => ({
    ...a,
    at: Math.round(a.at),
    id: `j${i}`,
    route: rng.next() < config.noneShare ? ({ kind: "none" } as const) : a.route,
  }));
  const end = planned.at(-1)!.at;
  for (let s = 0; s < (config.lostSessions ?? 0); s++) {
    const from = Math.round(20_000 + rng.next() * (end - 30_000));
    const to = from + rng.int(1_000, 5_000);
    lostWindows.push([from, to]);
    // The new session starts with its GUILD_CREATE: what happened before it in the window is
    // lost, what happens after it is delivered after it.
    agenda.at(to, () => deliver(to, () => (timeline = addGap(timeline, ours()))));
  }
  let singleSeq = 0;
  for (const p of planned) {
    if (p.route.kind === "single") {
      // Minted some seconds before its use (an invitation's accept button).
      const code = `su${singleSeq++}`;
      const createdAt = Math.max(1, p.at - rng.int(3_000, 60_000));
      agenda.at(createdAt, () => {
        singles.set(code, { createdAt, consumed: false });
        deliver(createdAt, () => (timeline = addInviteEvents(timeline, [{ type: "INVITE_CREATE", at: ours(), invite: { code, uses: 0, maxUses: 1, maxAge: 0, createdAt, expiresAt: null, ...marks(code) } }])));
      });
      p.route = { kind: "invite", code };
    }
    agenda.at(p.at, () => {
      const code = p.route.kind === "invite" ? p.route.code : p.route.kind === "vanity" ? VANITY : null;
      const effectAt = p.at + Math.floor(rng.next() * worldLag);
      truth.push({ id: p.id, at: p.at, route: p.route, code, effectAt });
      if (code !== null) {
        agenda.at(effectAt, () => {
          if (code === VANITY) vanityUses++;
          else if (singles.has(code)) {
            singles.get(code)!.consumed = true;
            deliver(agenda.now, () => (timeline = addInviteEvents(timeline, [{ type: "INVITE_DELETE", at: ours(), code }])));
          } else uses.set(code, uses.get(code)! + 1);
        });
      }
      // A marked invite's role, in the join's event or in an update 0.2–1.5 s after it.
      const roles = config.marks && code !== null && code !== VANITY ? [markOf(code)] : [];
      const inAdd = roles.length > 0 && rng.next() < 0.5;
      if (roles.length > 0 && !inAdd) {
        const updateAt = p.at + rng.int(200, 1_500);
        agenda.at(updateAt, () => deliver(updateAt, () => onMemberUpdate(p.id, p.at, roles)));
      }
      deliver(p.at, () => {
        onJoin(p.id, p.at, inAdd ? roles : [], config.knownNone === true && p.route.kind === "none");
        onNaiveJoin(p.id);
      });
    });
  }
  agenda.run();

  // --- scoring ---
  const reads = [...snapshotReads].sort((a, b) => a - b);
  const intervalOf = (t: number) => reads.findIndex((r) => r > t);
  const byInterval = new Map<number, TrueJoin[]>();
  for (const j of truth) {
    const k = intervalOf(j.effectAt);
    byInterval.set(k, [...(byInterval.get(k) ?? []), j]);
  }
  let correct = 0;
  let wrong = 0;
  let exactCorrect = 0;
  let knowable = 0;
  const wrongs: DesResult["wrongs"] = [];
  const naive = { correct: 0, wrong: 0, calls: naiveCalls };
  for (const j of truth) {
    const v = verdicts.get(j.id);
    const code = v && v.kind !== "unresolved" ? v.code : null;
    if (j.code !== null && (code === j.code || lookedUp.has(j.id))) exactCorrect++;
    if (code !== null && code === j.code) correct++;
    else if (code !== null) {
      wrong++;
      wrongs.push({ id: j.id, truth: j.code, verdict: code });
    }
    const n = naiveVerdicts.get(j.id) ?? null;
    if (n !== null && n === j.code) naive.correct++;
    else if (n !== null) naive.wrong++;
    const k = intervalOf(j.effectAt);
    if (j.code !== null && k > 0 && byInterval.get(k)!.every((o) => o.code === j.code)) knowable++;
  }
  return {
    joins: truth.length,
    codeJoins: truth.filter((j) => j.code !== null).length,
    sources: scoreSources(truth, heard, verdicts, ledger, wrongs),
    marked: scoreMarks(truth, verdicts, config.marks === true),
    correct,
    wrong,
    exactCorrect,
    lookups: lookedUp.size,
    knowable,
    calls,
    revisions,
    naive,
    lost: truth.filter((j) => !heard.has(j.id)).length,
    // The bot's own adds are written by the object (method oauth), not judged by the diff.
    unjudged: truth.filter((j) => heard.has(j.id) && !verdicts.has(j.id) && !byBot.has(j.id)).length,
    wrongs,
  };
}

/** The source a verdict gives its join (the vanity URL is a row of its own), as the outbox writer labels it. */
function verdictRow(v: Verdict | undefined): string | null {
  if (!v) return null;
  if (v.kind === "role") return v.code !== null ? rowOf(v.code) : sourceOfCandidates(v.candidates, true, sourceOf);
  if (v.kind !== "unresolved") return rowOf(v.code);
  return v.gap ? null : sourceOfCandidates(v.candidates, v.throughCandidate === true, sourceOf);
}

/** Joins through marked codes named by their mark, right and wrong; the diff on the rest (the vanity URL's joins, marked or not). */
function scoreMarks(truth: readonly TrueJoin[], verdicts: ReadonlyMap<string, Verdict>, marked: boolean): DesResult["marked"] {
  const score = { joins: 0, right: 0, wrong: 0, restJoins: 0, restCorrect: 0 };
  for (const j of truth) {
    const v = verdicts.get(j.id);
    const throughMark = marked && j.code !== null && j.code !== VANITY;
    if (throughMark) score.joins++;
    // A role verdict whose codes span sources names none: neither right nor wrong.
    const given = v?.kind === "role" ? verdictRow(v) : null;
    if (given !== null) {
      if (throughMark && given === rowOf(j.code)) score.right++;
      else score.wrong++;
    }
    // The codes the bench never marks, with marks or without: the diff alone names their joins.
    if (j.code === VANITY) {
      score.restJoins++;
      if (v && v.kind !== "unresolved" && v.code === j.code) score.restCorrect++;
    }
  }
  return score;
}

/**
 * Joins given a source, right and wrong; and the totals per report row, from the
 * ledger through windowTotals as /invite stats computes them (the whole run is one
 * window), beside the named joins today's reports counted.
 */
function scoreSources(truth: readonly TrueJoin[], heard: ReadonlySet<string>, verdicts: ReadonlyMap<string, Verdict>, ledger: readonly LedgerRow[], wrongs: DesResult["wrongs"]): DesResult["sources"] {
  const add = (m: Record<string, number>, key: string, n = 1) => (m[key] = (m[key] ?? 0) + n);
  const truthRows: Record<string, number> = {};
  const named: Record<string, number> = {};
  let right = 0;
  let wrong = 0;
  for (const j of truth) {
    add(truthRows, rowOf(j.code));
    const v = verdicts.get(j.id);
    if (v?.kind === "unresolved" && v.throughCandidate && (j.code === null || !v.candidates.includes(j.code))) {
      wrongs.push({ id: j.id, truth: j.code, verdict: `through one of ${v.candidates.join(",")}` });
    }
    const given = verdictRow(v);
    if (given !== null) {
      if (given === rowOf(j.code)) right++;
      else wrong++;
      // Today's reports: named joins per source, joins with no candidate as moved no invite.
      if (v?.kind !== "unresolved") add(named, given);
    } else if (v?.kind === "unresolved" && v.candidates.length === 0 && !v.gap) add(named, "none");
  }
  const uses: Record<string, number> = {};
  const uncountedCodes = new Set<string>();
  for (const r of ledger) {
    if (r.uses === null) uncountedCodes.add(r.code);
    else add(uses, rowOf(r.code), r.uses);
  }
  const heardVerdicts = truth.filter((j) => heard.has(j.id)).map((j) => verdicts.get(j.id));
  const bySource: Record<string, number> = {};
  for (const v of heardVerdicts) {
    const given = verdictRow(v);
    if (given !== null && given !== "vanity") add(bySource, given);
  }
  const labelled = [...new Set([...Object.keys(uses), ...Object.keys(bySource)])].filter((k) => k !== "vanity");
  const totals = windowTotals({
    sources: labelled.map((key, i) => ({ sourceId: i, uses: uses[key] ?? 0, named: bySource[key] ?? 0 })),
    vanityUses: uses.vanity ?? 0,
    unlabelledUses: 0,
    joins: heardVerdicts.length,
    uncountedCandidates: heardVerdicts.filter((v) => v?.kind === "unresolved" && !v.gap && v.candidates.some((c) => uncountedCodes.has(c))).length,
    gapJoins: heardVerdicts.filter((v) => v?.kind === "unresolved" && v.gap).length,
  });
  const counted: Record<string, number> = { vanity: totals.vanity, none: totals.noInvite, uncounted: totals.uncounted, gap: totals.gap };
  for (const s of totals.sources) counted[labelled[s.sourceId]!] = s.joins;
  return { right, wrong, truth: truthRows, counted, named };
}
