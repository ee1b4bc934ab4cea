// Cache maintenance and the cache-vs-fetch diff: which increments a fetch shows.
import type { CachedInvite, FreshInvite, InviteEvent } from "./types";

/**
 * Applies INVITE_CREATE / INVITE_DELETE to a cache. Idempotent, so events the
 * caller already applied can be passed again.
 */
export function applyEvents(cached: readonly CachedInvite[], events: readonly InviteEvent[]): CachedInvite[] {
  const byCode = new Map(cached.map((c) => [c.code, c]));
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.type === "INVITE_CREATE") {
      // A known code keeps its cached uses: the event's count (0) is never newer.
      if (!byCode.has(event.invite.code)) byCode.set(event.invite.code, { ...event.invite, deletedAt: null, learnedAt: event.at });
    } else {
      const entry = byCode.get(event.code);
      // A tombstone keeps its first time. An unknown code was created and deleted
      // unseen: it may have been consumed, by how many joins nobody knows.
      if (entry && entry.deletedAt === null) byCode.set(event.code, { ...entry, deletedAt: event.at });
      else if (!entry) {
        byCode.set(event.code, {
          code: event.code,
          uses: 0,
          maxUses: 0,
          maxAge: 0,
          createdAt: event.at,
          expiresAt: null,
          deletedAt: event.at,
          usesUnknown: true,
        });
      }
    }
  }
  return [...byCode.values()];
}

export interface InviteObservation {
  /** Counted uses since `cachedAt`, code -> count. */
  increments: Record<string, number>;
  /** Codes whose uses since `cachedAt` cannot be counted. */
  uncertain: string[];
  nextCache: CachedInvite[];
}

export interface ObserveInput {
  /** The cache with events already applied. */
  cached: readonly CachedInvite[];
  /** Start of the fetch `cached` reflects; null when there was none (no baseline). */
  cachedAt: number | null;
  fresh: readonly FreshInvite[];
  /** When the fetch of `fresh` was sent. */
  startedAt: number;
  now: number;
  clockSkewMs: number;
  tombstoneTtlMs: number;
}

/** The cache-vs-fetch diff of the invite list: what moved since the last look. */
export function observeInvites(input: ObserveInput): InviteObservation {
  const { cached, cachedAt, fresh, now, clockSkewMs } = input;
  const byCode = new Map(cached.map((c) => [c.code, c]));
  const freshCodes = new Set(fresh.map((f) => f.code));
  const increments: Record<string, number> = {};
  const uncertain = new Set<string>();
  const add = (code: string, count: number) => {
    if (count > 0) increments[code] = (increments[code] ?? 0) + count;
  };

  for (const f of fresh) {
    const before = byCode.get(f.code);
    if (before && !before.usesUnknown) {
      add(f.code, f.uses - before.uses);
    } else if (cachedAt !== null && f.createdAt >= cachedAt - clockSkewMs) {
      // Created after our last look: every use is new.
      add(f.code, f.uses);
    } else if (f.uses > 0) {
      // Existed at our last look yet missing from the cache: its rise is unknowable.
      uncertain.add(f.code);
    }
  }

  const tombstones: CachedInvite[] = [];
  const unseen: CachedInvite[] = [];
  for (const c of cached) {
    if (freshCodes.has(c.code)) continue;
    if (c.deletedAt === null && c.learnedAt !== undefined && c.learnedAt >= input.startedAt) {
      // Announced after the fetch was sent: it may not have existed when Discord read
      // the list. The next fetch judges it.
      unseen.push(c);
      continue;
    }
    if (!c.vanishSettled) {
      const vanishedAt = c.deletedAt ?? now;
      // Skew-padded so that an invite vanishing around its expiry counts as expired:
      // a missed candidate only leaves joins unresolved, a false one could misattribute.
      const expired = c.expiresAt !== null && c.expiresAt <= vanishedAt + clockSkewMs;
      const usableUntil = Math.min(vanishedAt, c.expiresAt ?? Infinity);
      if (!expired && !c.usesUnknown && c.maxUses > 0 && c.uses === c.maxUses - 1) {
        // Single-use (or last-use) invites disappear when used: consumed, by one join.
        add(c.code, 1);
      } else if (cachedAt === null || usableUntil > cachedAt - clockSkewMs) {
        // Deleted, expired, or consumed by several: uses since our last look, if any,
        // can no longer be counted.
        uncertain.add(c.code);
      }
    }
    const deletedAt = c.deletedAt ?? now;
    if (deletedAt > now - input.tombstoneTtlMs) tombstones.push({ ...c, deletedAt, vanishSettled: true });
  }

  const nextCache: CachedInvite[] = [...fresh.map((f) => ({ ...f, deletedAt: null })), ...unseen, ...tombstones];
  return { increments, uncertain: [...uncertain].sort(), nextCache };
}
