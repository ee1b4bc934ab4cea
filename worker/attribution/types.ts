// Data shapes of the pure attribution module. All times are ms since the epoch,
// taken from the caller (the module never reads a clock). `joinedAt` is Discord's
// clock; every other time is ours.

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
  /** Set on tombstones whose disappearance a snapshot already counted, so it is never counted twice. */
  vanishSettled?: boolean;
  /** A tombstone for a code known only from its INVITE_DELETE: its uses are unknown. */
  usesUnknown?: boolean;
  /** Known only from its INVITE_CREATE, received then: a fetch sent before that may not show it yet. */
  learnedAt?: number;
  inviterId?: string;
  channelId?: string;
  /** Roles Discord gives whoever accepts the invite (`role_ids`): marks (worker/marks). Kept on tombstones. */
  roles?: string[];
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
  /** The invite object's `roles` (ids), INVITE_CREATE's `role_ids`. */
  roles?: string[];
}

/** `GET /guilds/{id}/vanity-url`; null when the guild has none. */
export type Vanity = { code: string; uses: number } | null;

export type InviteEvent =
  | { type: "INVITE_CREATE"; at: number; invite: FreshInvite }
  | { type: "INVITE_DELETE"; at: number; code: string };

/**
 * A series is a set of counters read together, at one instant of Discord's: the
 * invite list is one, the vanity URL's count (a request of its own) another.
 */
export type Series = "invites" | "vanity";

/**
 * One read of a series. Discord read it at one instant somewhere between
 * `startedAt` and `answeredAt`: it holds exactly the joins whose count moved before.
 */
export interface Snapshot {
  series: Series;
  startedAt: number;
  answeredAt: number;
  /** Counted uses since the series' previous snapshot, code -> count (empty for its first). */
  increments: Record<string, number>;
  /**
   * Codes whose uses since the previous snapshot cannot be counted (deleted or expired
   * in between, no baseline): joins may have used them without showing in `increments`.
   */
  uncertain: string[];
}

/** Join events may have been lost between these times (a new gateway session). */
export interface Gap {
  /** The latest `joined_at` delivered before (Discord's clock): lost joins came after it. */
  from: number;
  /** When the new session's GUILD_CREATE arrived (our clock): lost joins came before it. */
  to: number;
}

export interface TimelineJoin {
  eventId: string;
  userId: string;
  /** Discord's `joined_at` (Discord's clock). */
  joinedAt: number;
  /** When the Durable Object stored the join event (our clock). */
  receivedAt: number;
  /** Arrival order: the gateway delivers a guild's events in Discord's order, so it breaks ties. */
  seq: number;
  /** The verdict last handed out for this join, if any. */
  emitted?: Verdict;
  /** Resolved outside the diff (member search, an admin): never revised by it. */
  pinned?: boolean;
  /**
   * The member carried a mark when joining (worker/marks): the join surely moved one
   * of these codes, whatever else happened around it.
   */
  markCodes?: string[];
  /**
   * Known to have moved no invite (the bot added the member itself, "Join with
   * Discord"): no increment is ever given to it, which narrows its neighbours'.
   */
  movedNothing?: true;
}

export type Verdict =
  | { kind: "diff"; code: string }
  /**
   * The invite's role marked the member: the join moved one of `candidates` (its
   * marked codes the counts allow). `code` is set when that leaves one.
   */
  | { kind: "role"; code: string | null; candidates: string[] }
  | { kind: "vanity"; code: string }
  | {
      kind: "unresolved";
      candidates: string[];
      groupId: string | null;
      /** Events may have been lost around it (a new gateway session): the counts cannot speak for it. */
      gap?: true;
      /**
       * It surely came through one of its candidates (moving nothing is ruled out):
       * when they all belong to one source, so does the join (`method = source`).
       */
      throughCandidate?: true;
    };

/** Joins left unresolved together, with the candidate multiset they share. */
export interface UnresolvedGroup {
  groupId: string;
  /** Event ids of the member joins. */
  members: string[];
  /** Candidate codes, one entry per increment (a code may repeat). */
  candidates: string[];
  /**
   * True when every member's increment is known to be one of `candidates` (each
   * candidate entry belonging to exactly one member), so elimination is sound.
   */
  eliminable: boolean;
}

export interface AttributionOptions {
  /**
   * Bound on how far Discord's clock may be ahead of ours (both NTP-synced). How far
   * behind it can be is also observed, from joins received after they happened.
   */
  clockSkewMs: number;
  /** Bound on how long after a join Discord's `uses` may still not show it. */
  countLagMs: number;
  /**
   * A fetch waits this long after the join that asks for it. Joins arriving while a
   * fetch is out share the next one anyway; waiting longer costs recall (bench/attribution).
   */
  coalesceMs: number;
  /**
   * A snapshot is taken as closed (every join before it delivered) this long after it
   * answered, when no later join has closed it yet. Events later than that are
   * still taken in, and any verdict they make unprovable is revised.
   */
  deliveryWaitMs: number;
  /** An undecided join is written as unresolved this long after it arrived (a later decision upgrades it). */
  settleWaitMs: number;
  /** A join's verdict is final this long after it arrived. */
  freezeMs: number;
  /** Frozen joins and the snapshots before them are dropped after this long. */
  retainMs: number;
  /** How long tombstones stay in the invite cache. */
  tombstoneTtlMs: number;
}

export const DEFAULT_OPTIONS: AttributionOptions = {
  clockSkewMs: 100,
  countLagMs: 0,
  coalesceMs: 0,
  deliveryWaitMs: 2_000,
  settleWaitMs: 5_000,
  freezeMs: 60_000,
  retainMs: 120_000,
  tombstoneTtlMs: 24 * 60 * 60_000,
};
