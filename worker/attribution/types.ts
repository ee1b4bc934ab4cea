// Data shapes of the pure attribution module. All times are ms since the epoch,
// taken from the caller (the module never reads a clock).

/** One invite as the Durable Object remembers it. */
export interface CachedInvite {
  code: string;
  uses: number;
  /** 0 = unlimited. */
  maxUses: number;
  /** Seconds; 0 = never expires. */
  maxAge: number;
  createdAt: number;
  expiresAt: number | null;
  /** Tombstone: when the invite was seen deleted (INVITE_DELETE) or found missing from a fetch. */
  deletedAt: number | null;
  /**
   * Set by `settle` on tombstones whose disappearance it has already diffed, so it
   * is never counted twice. Event handlers that tombstone an entry keep it as is.
   */
  vanishSettled?: boolean;
  /** A tombstone for a code known only from its INVITE_DELETE: its uses are unknown. */
  usesUnknown?: boolean;
  inviterId?: string;
  channelId?: string;
}

/** One invite as `GET /guilds/{id}/invites` (or an INVITE_CREATE) returned it, normalised. */
export interface FreshInvite {
  code: string;
  uses: number;
  maxUses: number;
  maxAge: number;
  createdAt: number;
  expiresAt: number | null;
  inviterId?: string;
  channelId?: string;
}

/** `GET /guilds/{id}/vanity-url`; null when the guild has none (or the caller did not ask). */
export type Vanity = { code: string; uses: number } | null;

export type InviteEvent =
  | { type: "INVITE_CREATE"; at: number; invite: FreshInvite }
  | { type: "INVITE_DELETE"; at: number; code: string };

export interface PendingJoin {
  userId: string;
  /** Discord's `joined_at` (Discord's clock). */
  joinedAt: number;
  /** When the Durable Object stored the join event (its own clock). */
  receivedAt: number;
  /** The relay event id: unique per join delivery, also used to name groups. */
  eventId: string;
}

/** Increments seen in a fetch that no join has claimed yet (`count` units of one code). */
export interface LedgerEntry {
  code: string;
  count: number;
  /** When the fetch that showed the increment answered: its join happened before. */
  seenAt: number;
  /**
   * Start of the fetch before it (null if none): its join happened after, give or
   * take clock skew and count lag. Together they bound which joins may claim it.
   */
  since: number | null;
  kind: "invite" | "vanity";
  /**
   * Set when an unresolved group took the increment as a candidate. It stays
   * (until the TTL) so a late join that could own it is never decided by diff.
   */
  claimedBy?: string;
  /**
   * The code may have risen by an unknown amount in this window (no baseline, or
   * it vanished in a way that may hide several uses). Not a claimable increment: a
   * join that could be its is never decided by diff. `count` is 1.
   */
  uncertain?: boolean;
}

export type Verdict =
  | { kind: "diff"; code: string; invitationId?: string }
  | { kind: "vanity"; code: string }
  | { kind: "unresolved"; candidates: string[]; groupId: string };

/** Joins left unresolved together, with the candidate multiset they share. */
export interface UnresolvedGroup {
  groupId: string;
  /** Event ids of the member joins. */
  members: string[];
  /** Candidate codes, one entry per increment (a code may repeat). */
  candidates: string[];
  /**
   * True when every member's increment is known to be one of `candidates` (each
   * candidate entry belonging to at most one member), so elimination is sound.
   */
  eliminable: boolean;
}

export interface SettleOptions {
  /** How long an unclaimed increment stays claimable. */
  ledgerTtlMs: number;
  /**
   * How long a ripe join may wait for more information (the join events of
   * surplus increments, or increments not visible yet) before it is settled as
   * unresolved anyway.
   */
  joinWaitMs: number;
  /** Tolerated difference between Discord's clock (`joinedAt`) and ours. */
  clockSkewMs: number;
  /**
   * Upper bound on how long after a join Discord's `uses` may still not show it.
   * A join is only matched by a fetch started at least this long after it was received.
   */
  countLagMs: number;
  /** How long tombstones stay in the cache. */
  tombstoneTtlMs: number;
}

export const DEFAULT_SETTLE_OPTIONS: SettleOptions = {
  ledgerTtlMs: 10 * 60_000,
  joinWaitMs: 30_000,
  clockSkewMs: 2_000,
  countLagMs: 0,
  tombstoneTtlMs: 24 * 60 * 60_000,
};
