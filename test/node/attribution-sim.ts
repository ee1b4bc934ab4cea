// A seeded simulation of one guild, for the property tests: a world that knows
// which invite each join used, a Durable-Object-like driver around `settle`, and
// the naive diff on the same deliveries.
import { applyEvents } from "../../worker/attribution/cache";
import { settle } from "../../worker/attribution/diff";
import { resolveByElimination } from "../../worker/attribution/groups";
import { naiveAttribute, type InviteCount } from "../../worker/attribution/naive";
import type { CachedInvite, FreshInvite, InviteEvent, LedgerEntry, PendingJoin, UnresolvedGroup, Vanity } from "../../worker/attribution/types";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimConfig {
  seed: number;
  joins: number;
  /** Discord's count lag in this world, and what the module is told. */
  countLagMs: number;
  hasVanity: boolean;
  /** Share of join events delivered late (a worker restart). */
  lateShare: number;
}

export interface SimResult {
  joins: number;
  ours: { correct: number; wrong: number; unresolved: number; apiCalls: number };
  naive: { correct: number; wrong: number; apiCalls: number };
  elimination: { decided: number; wrong: number };
  expiredLedger: number;
}

interface WorldInvite {
  code: string;
  maxUses: number;
  maxAge: number;
  createdAt: number;
  expiresAt: number | null;
  removedAt: number | null;
  uses: number[];
}

type Delivery = { at: number; join: PendingJoin } | { at: number; event: InviteEvent };

const VANITY = "vanity-code";

export function simulate(cfg: SimConfig): SimResult {
  const rand = mulberry32(cfg.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
  const discordOffset = between(-1_500, 1_500); // Discord's clock vs the object's

  const invites: WorldInvite[] = [];
  const vanityUses: number[] = [];
  const truth = new Map<string, string>();
  const deliveries: Delivery[] = [];
  let nextCode = 0;

  const exists = (i: WorldInvite, s: number) =>
    i.createdAt <= s && (i.removedAt === null || i.removedAt > s) && (i.expiresAt === null || i.expiresAt > s);
  const fresh = (i: WorldInvite, s: number): FreshInvite => ({
    code: i.code,
    uses: i.uses.filter((t) => t + cfg.countLagMs <= s).length,
    maxUses: i.maxUses,
    maxAge: i.maxAge,
    createdAt: i.createdAt + discordOffset,
    expiresAt: i.expiresAt === null ? null : i.expiresAt + discordOffset,
  });
  const snapshot = (s: number) => invites.filter((i) => exists(i, s)).map((i) => fresh(i, s));
  const vanityAt = (s: number): Vanity => (cfg.hasVanity ? { code: VANITY, uses: vanityUses.filter((t) => t + cfg.countLagMs <= s).length } : null);
  const eventDelay = () => between(30, 400);

  const create = (t: number, kind: "single" | "limited" | "unlimited", preUses = 0) => {
    const maxAge = pick([0, 0, 600, 3_600]);
    const invite: WorldInvite = {
      code: `c${nextCode++}`,
      maxUses: kind === "single" ? 1 : kind === "limited" ? 5 : 0,
      maxAge,
      createdAt: t,
      expiresAt: maxAge > 0 ? t + maxAge * 1000 : null,
      removedAt: null,
      uses: Array.from({ length: preUses }, () => t),
    };
    invites.push(invite);
    if (t > 0 && rand() > 0.1) deliveries.push({ at: t + eventDelay(), event: { type: "INVITE_CREATE", at: t, invite: fresh(invite, t) } });
    return invite;
  };
  const remove = (invite: WorldInvite, t: number) => {
    invite.removedAt = t;
    deliveries.push({ at: t + eventDelay(), event: { type: "INVITE_DELETE", at: 0, code: invite.code } });
  };
  let joined = 0;
  const join = (t: number, invite: WorldInvite | null) => {
    const eventId = `j${joined++}`;
    if (invite) {
      invite.uses.push(t);
      if (invite.maxUses > 0 && invite.uses.length >= invite.maxUses) remove(invite, t);
    } else vanityUses.push(t);
    truth.set(eventId, invite ? invite.code : VANITY);
    const delay = rand() < cfg.lateShare ? between(10_000, 120_000) : between(50, 900);
    deliveries.push({ at: t + delay, join: { userId: `u${eventId}`, joinedAt: t + discordOffset, receivedAt: t + delay, eventId } });
  };

  // Invites that predate the bot, with uses.
  for (let i = 0; i < 8; i++) create(-between(1, 30) * 86_400_000, pick(["limited", "unlimited", "unlimited"]), between(0, 4));
  const usable = (t: number, reusable = false) =>
    invites.filter((i) => exists(i, t) && (i.maxUses === 0 || i.uses.length < i.maxUses) && (!reusable || i.maxUses === 0));

  let t = 1_000;
  while (joined < cfg.joins) {
    t += between(500, 20_000);
    const roll = rand();
    if (roll < 0.08) create(t, pick(["single", "single", "limited", "unlimited"]));
    else if (roll < 0.11) {
      const live = usable(t);
      if (live.length > 3) remove(pick(live), t);
    } else if (roll < 0.2) {
      // A burst: mostly one viral invite, sometimes spread over a few.
      const viral = usable(t, true);
      if (viral.length === 0) continue;
      const spread = rand() < 0.3 ? [pick(viral), pick(viral), pick(viral)] : [pick(viral)];
      const size = between(5, 31);
      for (let k = 0; k < size; k++) join(t + Math.floor((k * 1_000) / size), pick(spread));
      t += 1_000;
    } else {
      const live = usable(t);
      if (cfg.hasVanity && rand() < 0.1) join(t, null);
      else if (live.length > 0) join(t, pick(live));
    }
  }
  deliveries.sort((a, b) => a.at - b.at);
  for (const d of deliveries) if ("event" in d && d.event.type === "INVITE_DELETE") d.event = { ...d.event, at: d.at };

  // The object: seeded by a fetch at t = 0, then one fetch per burst of waiting joins.
  const coalesceMs = 300;
  const latencyMs = 80;
  let cache: CachedInvite[] = snapshot(0).map((f) => ({ ...f, deletedAt: null }));
  let cachedAt: number | null = 0;
  let ledger: LedgerEntry[] = [];
  let vanityBefore = vanityAt(0);
  let pending: PendingJoin[] = [];
  let apiCalls = cfg.hasVanity ? 2 : 1;
  let expiredLedger = 0;
  const ours = { correct: 0, wrong: 0, unresolved: 0 };
  const groups: UnresolvedGroup[] = [];

  // `withFetch` false: a deadline call, matching the ledger without asking Discord.
  const runSettle = (start: number, withFetch: boolean) => {
    const seenAt = start + latencyMs / 2;
    const vanityAfter = withFetch ? vanityAt(seenAt) : vanityBefore;
    if (withFetch) apiCalls += cfg.hasVanity ? 2 : 1;
    const out = settle({
      cached: cache,
      cachedAt,
      fresh: withFetch ? snapshot(seenAt) : null,
      vanityBefore,
      vanityAfter,
      events: [],
      joins: pending,
      ledger,
      now: withFetch ? start + latencyMs : start,
      fetchStartedAt: start,
      options: { countLagMs: cfg.countLagMs },
    });
    for (const { join, verdict } of out.verdicts) {
      if (verdict.kind === "unresolved") ours.unresolved++;
      else if (verdict.code === truth.get(join.eventId)) ours.correct++;
      else ours.wrong++;
    }
    groups.push(...out.groups);
    expiredLedger += out.expiredLedger.reduce((n, e) => n + e.count, 0);
    ({ nextCache: cache, nextCachedAt: cachedAt, nextLedger: ledger, waiting: pending } = out);
    vanityBefore = vanityAfter;
    fetchDue = out.nextFetchAt;
    deadlineDue = out.nextDeadlineAt === null ? null : Math.max(out.nextDeadlineAt, start + latencyMs);
  };

  let fetchDue: number | null = null;
  let deadlineDue: number | null = null;
  let index = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const delivery = deliveries[index];
    const due = Math.min(fetchDue ?? Infinity, deadlineDue ?? Infinity);
    if (due !== Infinity && (delivery === undefined || due <= delivery.at)) {
      runSettle(due, due === fetchDue);
      continue;
    }
    if (delivery === undefined) break;
    index++;
    if ("join" in delivery) {
      pending.push(delivery.join);
      // One fetch serves every join received before it starts.
      const at = delivery.at + coalesceMs + cfg.countLagMs;
      fetchDue = fetchDue === null ? at : Math.min(fetchDue, at);
    } else cache = applyEvents(cache, [delivery.event]);
  }

  // Elimination: resolve all members but one with the truth; the last must follow correctly.
  const elimination = { decided: 0, wrong: 0 };
  for (const group of groups) {
    for (const open of group.members) {
      const resolved = new Map(group.members.filter((m) => m !== open).map((m) => [m, truth.get(m) as string]));
      const result = resolveByElimination(group, resolved);
      if (result === null) continue;
      elimination.decided++;
      if (result.eventId !== open || result.code !== truth.get(open)) elimination.wrong++;
    }
  }

  // The naive diff on the same deliveries: one fetch per join event, at its arrival.
  const naive = { correct: 0, wrong: 0, apiCalls: 0 };
  const counts = (s: number): InviteCount[] => {
    const vanity = vanityAt(s);
    return [...snapshot(s), ...(vanity ? [vanity] : [])];
  };
  let naiveBefore = counts(0);
  for (const d of deliveries) {
    if (!("join" in d)) continue;
    naive.apiCalls += cfg.hasVanity ? 2 : 1;
    const after = counts(d.at + latencyMs / 2);
    const code = naiveAttribute(naiveBefore, after);
    naiveBefore = after;
    if (code === null) continue;
    if (code === truth.get(d.join.eventId)) naive.correct++;
    else naive.wrong++;
  }

  return { joins: joined, ours: { ...ours, apiCalls }, naive, elimination, expiredLedger };
}
