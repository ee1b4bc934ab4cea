// Cache maintenance and the cache-vs-fetch diff: which increments a fetch shows.
import type { CachedInvite, FreshInvite, InviteEvent, LedgerEntry, Vanity } from "./types";

/**
 * Applies INVITE_CREATE / INVITE_DELETE to a cache. Idempotent, so events the
 * caller already applied can be passed again.
 */
export function applyEvents(cached: readonly CachedInvite[], events: readonly InviteEvent[]): CachedInvite[] {
  const byCode = new Map(cached.map((c) => [c.code, c]));
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.type === "INVITE_CREATE") {
      // A known code keeps its cached uses: the event's count (0) is never newer.
      if (!byCode.has(event.invite.code)) byCode.set(event.invite.code, { ...event.invite, deletedAt: null });
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

export interface Observation {
  /** Increments the fetch shows (and uncertain codes), stamped `seenAt = now`, `since = cachedAt`. */
  increments: LedgerEntry[];
  nextCache: CachedInvite[];
}

export interface ObserveInput {
  /** The cache with events already applied. */
  cached: readonly CachedInvite[];
  /** Start of the fetch `cached` reflects; null when there was none (no baseline). */
  cachedAt: number | null;
  fresh: readonly FreshInvite[];
  vanityBefore: Vanity;
  vanityAfter: Vanity;
  now: number;
  clockSkewMs: number;
  tombstoneTtlMs: number;
}

export function observe(input: ObserveInput): Observation {
  const { cached, cachedAt, fresh, now, clockSkewMs } = input;
  const byCode = new Map(cached.map((c) => [c.code, c]));
  const freshCodes = new Set(fresh.map((f) => f.code));
  const increments: LedgerEntry[] = [];
  const add = (code: string, count: number, kind: LedgerEntry["kind"], seenAt = now) => {
    if (count > 0) increments.push({ code, count, seenAt, since: cachedAt, kind });
  };
  const uncertain = (code: string, kind: LedgerEntry["kind"], seenAt = now) =>
    increments.push({ code, count: 1, seenAt, since: cachedAt, kind, uncertain: true });

  for (const f of fresh) {
    const before = byCode.get(f.code);
    if (before) {
      add(f.code, f.uses - before.uses, "invite");
    } else if (cachedAt !== null && f.createdAt >= cachedAt - clockSkewMs) {
      // Created after our last look: every use is new.
      add(f.code, f.uses, "invite");
    } else if (f.uses > 0) {
      // Existed at our last look yet missing from the cache: its rise is unknowable.
      uncertain(f.code, "invite");
    }
  }

  const tombstones: CachedInvite[] = [];
  for (const c of cached) {
    if (freshCodes.has(c.code)) continue;
    if (!c.vanishSettled) {
      const vanishedAt = c.deletedAt ?? now;
      // Skew-padded so that an invite vanishing around its expiry counts as expired:
      // a missed candidate only leaves joins unresolved, a false one could misattribute.
      const expired = c.expiresAt !== null && c.expiresAt <= vanishedAt + clockSkewMs;
      // The last moment it could have been used: joins after it are not its.
      const usableUntil = Math.min(vanishedAt, c.expiresAt ?? Infinity);
      if (!expired && !c.usesUnknown && c.maxUses > 0 && c.uses === c.maxUses - 1) {
        // Single-use (or last-use) invites disappear when used: consumed, by one join.
        add(c.code, 1, "invite", vanishedAt);
      } else if (cachedAt === null || usableUntil > cachedAt - clockSkewMs) {
        // Deleted, expired, or consumed by several: uses since our last look, if any,
        // can no longer be counted. Not a candidate, but joins it could hold are not guessed.
        uncertain(c.code, "invite", usableUntil);
      }
    }
    const deletedAt = c.deletedAt ?? now;
    if (deletedAt > now - input.tombstoneTtlMs) tombstones.push({ ...c, deletedAt, vanishSettled: true });
  }

  const { vanityBefore: vb, vanityAfter: va } = input;
  if (va && vb && va.code === vb.code) add(va.code, va.uses - vb.uses, "vanity");
  else if (va && va.uses > 0) uncertain(va.code, "vanity"); // new or changed vanity: no baseline

  const nextCache: CachedInvite[] = [...fresh.map((f) => ({ ...f, deletedAt: null })), ...tombstones];
  return { increments, nextCache };
}
