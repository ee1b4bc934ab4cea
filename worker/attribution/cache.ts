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
  const add = (code: string, count: number, kind: LedgerEntry["kind"]) => {
    if (count > 0) increments.push({ code, count, seenAt: now, since: cachedAt, kind });
  };
  const uncertain = (code: string, kind: LedgerEntry["kind"]) =>
    increments.push({ code, count: 1, seenAt: now, since: cachedAt, kind, uncertain: true });

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
      if (c.usesUnknown) uncertain(c.code, "invite");
      // Single-use (or last-use) invites disappear when used: uses == max_uses - 1 means consumed.
      else if (!expired && c.maxUses > 0 && c.uses === c.maxUses - 1) add(c.code, 1, "invite");
      // A limited invite further from its max may have been deleted by a moderator or
      // consumed by several joins since the last fetch: the two look the same.
      else if (!expired && c.maxUses > 0 && c.uses < c.maxUses - 1) uncertain(c.code, "invite");
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
