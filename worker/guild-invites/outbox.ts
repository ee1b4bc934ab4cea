import type { MemberProfile } from "../members/profile";
import type { LedgerRow } from "../counted-uses";
import type { RaidAlertItem } from "../raids/alert-item";

/**
 * Rows the Durable Object owes Postgres. They are written to the object's own
 * storage in the same transaction as the state change that produced them, and
 * leave only after Postgres committed them: a restart or an outage loses nothing.
 */
export type OutboxItem =
  | {
      kind: "join";
      guildId: string;
      userId: string;
      joinedAt: number;
      didRejoin: boolean;
      /** The member left before this join's verdict was written (the departure waited for it). */
      leftAt?: number | null;
      /** A bot account: recorded as a member, never eligible for invitations. */
      bot?: boolean;
      /** Names and avatar seen with the join. */
      profile?: MemberProfile | null;
      method: "diff" | "vanity" | "exact" | "role" | "oauth" | "unresolved";
      inviteCode: string | null;
      invitationId: number | null;
      candidates: string[] | null;
      /** Set for unresolved joins of a group that elimination can settle later. */
      groupId: string | null;
      /** Why an unresolved join is: "gap" when events may have been lost around it. */
      reason?: "gap" | null;
      /**
       * An unresolved join surely came through one of its candidates: one source (one creator)
       * of them all is its source (inviter). A `role` join always did (its candidates are its marked codes).
       */
      throughCandidate?: boolean;
    }
  | { kind: "member_left"; guildId: string; userId: string; leftAt: number }
  | { kind: "member_profile"; guildId: string; userId: string; profile: MemberProfile }
  /** A code of the guild's vanity URL: joins through it are vanity joins, however resolved. */
  | { kind: "vanity"; guildId: string; code: string }
  /** The bot was removed, or lost access: the cron's jobs skip the guild until it returns or is purged. */
  | { kind: "guild_left"; guildId: string; leftAt: number; reason: "removed" | "missing_access" }
  | { kind: "guild_returned"; guildId: string }
  /** What one fetch counted (worker/counted-uses): the ledger's rows, keyed so that a replay adds nothing. */
  | { kind: "counted_uses"; guildId: string; rows: LedgerRow[] }
  /** `/invite settings marks:remove`: a mark to take off a member, in Discord, not Postgres (worker/marks/removal.ts). */
  | { kind: "remove_mark"; guildId: string; userId: string; roleId: string; attempts: number; notBefore: number }
  /** When the bot joined the guild (GUILD_CREATE's `joined_at`). */
  | { kind: "bot_arrival"; guildId: string; joinedAt: number }
  /** A raid started, goes on or ended (worker/raids): its row, then its alert posted or edited. */
  | RaidAlertItem
  | {
      kind: "invite";
      guildId: string;
      code: string;
      channelId: string | null;
      inviterId: string | null;
      uses: number;
      maxUses: number;
      maxAge: number;
      createdAt: number;
      expiresAt: number | null;
      deletedAt: number | null;
    };

/**
 * SQLSTATE classes that a retry cannot fix: 22 data exception (out of range,
 * invalid datetime), 23 integrity constraint violation, 54 program limit
 * exceeded. Connection failures, timeouts, serialization failures (40) and
 * missing tables or columns (42, fixed by running migrations) are retried.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(["22", "23", "54"]);

export type WriteFailure = { permanent: true; reason: string } | { permanent: false };

/**
 * Whether an outbox item's write failed for good. Such an item goes to the
 * dead letters, so that it does not hold back the rows queued behind it.
 * drizzle wraps the driver's error, so the SQLSTATE is looked for along `cause`.
 */
export function classifyWriteError(error: unknown): WriteFailure {
  for (let link = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth++) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2))) {
      return { permanent: true, reason: `SQLSTATE ${code}: ${link.message}` };
    }
    // Thrown while building the query (`toISOString` of an impossible time): the row itself is bad.
    if (link instanceof RangeError) return { permanent: true, reason: `unwritable value: ${link.message}` };
  }
  return { permanent: false };
}
