/**
 * Raid detection, without I/O: the guild's object feeds it each join once its
 * verdict names an invite (or names none: Discovery), and asks it on every
 * alarm whether a raid has ended. A raid through a key (an invite code, or
 * NO_INVITE) starts when that key's joins in the last minute reach the
 * threshold, and ends after a quiet period below it; each start, throttled
 * update and end is one alert effect.
 */

/** The key of joins that moved no invite at all (Server Discovery, an OAuth add). */
export const NO_INVITE = "";

export const WINDOW_MS = 60_000;
/** A lull shorter than this does not split a raid. */
export const QUIET_MS = 120_000;
/** The alert is edited at most this often while the raid goes on (RAID_UPDATE_S). */
export const UPDATE_EVERY_MS = 15_000;

export interface RaidRules {
  /** Joins in a minute through one key that make a raid. */
  threshold: number;
  updateEveryMs: number;
}

export interface Raid {
  /** Unique per guild: the key and when the raid's first counted minute began. */
  id: string;
  startedAt: number;
  lastJoinAt: number;
  joins: number;
  peakPerMinute: number;
  /** When the rate last fell below the threshold; null while at or above it. */
  belowSince: number | null;
  /** When the last start or update effect was handed out. */
  postedAt: number;
  /** Joins counted since that effect. */
  unposted: boolean;
}

export interface KeyState {
  /** Joins per second of arrival, [second, count], oldest first, covering the last minute. */
  seconds: Array<[number, number]>;
  raid: Raid | null;
}

export type RaidState = Record<string, KeyState>;

export interface RaidEffect {
  phase: "start" | "update" | "end";
  key: string;
  raid: Raid;
  /** Joins in the minute up to now. */
  perMinute: number;
  at: number;
}

const secondOf = (at: number) => Math.floor(at / 1000);

/** Joins in the minute up to `now`. */
export function perMinute(key: KeyState, now: number): number {
  const from = secondOf(now - WINDOW_MS);
  return key.seconds.reduce((sum, [s, n]) => (s > from ? sum + n : sum), 0);
}

function counted(key: KeyState | undefined, at: number, now: number): KeyState {
  const from = secondOf(now - WINDOW_MS);
  const seconds = (key?.seconds ?? []).filter(([s]) => s > from);
  const s = secondOf(at);
  const same = seconds.findIndex(([t]) => t === s);
  if (same >= 0) seconds[same] = [s, seconds[same]![1] + 1];
  else {
    seconds.push([s, 1]);
    seconds.sort((a, b) => a[0] - b[0]);
  }
  return { seconds, raid: key?.raid ?? null };
}

/**
 * Counts joins (each once, by key and arrival time) and hands out the starts
 * and due updates they cause: at most one effect per key.
 */
export function observeJoins(state: RaidState, joins: ReadonlyArray<{ key: string; at: number }>, now: number, { threshold, updateEveryMs }: RaidRules): { state: RaidState; effects: RaidEffect[] } {
  const next = { ...state };
  const latest = new Map<string, number>();
  for (const { key, at } of joins) {
    // Older than the window (a verdict long delayed): it cannot make this minute a raid.
    if (at <= now - WINDOW_MS) continue;
    const k = counted(next[key], at, now);
    if (k.raid) k.raid = { ...k.raid, joins: k.raid.joins + 1, lastJoinAt: Math.max(k.raid.lastJoinAt, at), unposted: true };
    next[key] = k;
    latest.set(key, Math.max(latest.get(key) ?? at, at));
  }
  const effects: RaidEffect[] = [];
  for (const [key, lastJoinAt] of latest) {
    const k = next[key]!;
    const rate = perMinute(k, now);
    if (!k.raid) {
      if (rate < threshold) continue;
      const startedAt = k.seconds[0]![0] * 1000;
      const raid: Raid = { id: `${startedAt}:${key}`, startedAt, lastJoinAt, joins: rate, peakPerMinute: rate, belowSince: null, postedAt: now, unposted: false };
      next[key] = { ...k, raid };
      effects.push({ phase: "start", key, raid, perMinute: rate, at: now });
      continue;
    }
    const raid = { ...k.raid, peakPerMinute: Math.max(k.raid.peakPerMinute, rate), belowSince: rate >= threshold ? null : k.raid.belowSince };
    next[key] = { ...k, raid: updated(raid, rate, now, updateEveryMs, effects, key) };
  }
  return { state: next, effects };
}

/** Hands out an update when one is due and something changed since the last. */
function updated(raid: Raid, rate: number, now: number, updateEveryMs: number, effects: RaidEffect[], key: string): Raid {
  if (!raid.unposted || now - raid.postedAt < updateEveryMs) return raid;
  const posted = { ...raid, postedAt: now, unposted: false };
  effects.push({ phase: "update", key, raid: posted, perMinute: rate, at: now });
  return posted;
}

/**
 * The clock's side: raids whose rate stayed below the threshold for QUIET_MS
 * end, due updates go out, and keys with no recent join and no raid are
 * dropped. `wakeAt` is when to look again (null: no raid is open).
 */
export function tickRaids(state: RaidState, now: number, { threshold, updateEveryMs }: RaidRules): { state: RaidState; effects: RaidEffect[]; wakeAt: number | null } {
  const next: RaidState = {};
  const effects: RaidEffect[] = [];
  let wakeAt: number | null = null;
  const wake = (at: number) => (wakeAt = wakeAt === null ? at : Math.min(wakeAt, at));
  for (const [key, k] of Object.entries(state)) {
    const rate = perMinute(k, now);
    const seconds = k.seconds.filter(([s]) => s > secondOf(now - WINDOW_MS));
    if (!k.raid) {
      if (seconds.length > 0) next[key] = { seconds, raid: null };
      continue;
    }
    const belowSince = rate >= threshold ? null : (k.raid.belowSince ?? now);
    if (belowSince !== null && now - belowSince >= QUIET_MS) {
      effects.push({ phase: "end", key, raid: { ...k.raid, belowSince }, perMinute: rate, at: now });
      if (seconds.length > 0) next[key] = { seconds, raid: null };
      continue;
    }
    const raid = updated({ ...k.raid, belowSince }, rate, now, updateEveryMs, effects, key);
    next[key] = { seconds, raid };
    wake(belowSince !== null ? belowSince + QUIET_MS : now + updateEveryMs);
  }
  return { state: next, effects, wakeAt };
}

/** A verdict as the object hands it out, reduced to what raids count. */
export type RaidVerdict =
  | { kind: "diff" | "vanity" | "exact"; code: string }
  /** A marked join: its code when the counts leave one, else its source's marked codes. */
  | { kind: "role"; code: string | null; candidates: string[] }
  | { kind: "unresolved"; candidates: string[]; gap?: true; throughCandidate?: true };

/**
 * The key a verdict counts under, or null when it names no one invite: a code
 * the diff, vanity, a mark or member search named; the one code all of an unresolved
 * join's candidates are (it surely came through one of them); NO_INVITE for a
 * join that moved no count. Ambiguous joins and joins next to a gap count for none.
 */
export function raidKey(verdict: RaidVerdict): string | null {
  if (verdict.kind === "role") return verdict.code ?? (new Set(verdict.candidates).size === 1 ? verdict.candidates[0]! : null);
  if (verdict.kind !== "unresolved") return verdict.code;
  if (verdict.gap) return null;
  if (verdict.candidates.length === 0) return NO_INVITE;
  const codes = new Set(verdict.candidates);
  return verdict.throughCandidate && codes.size === 1 ? verdict.candidates[0]! : null;
}
