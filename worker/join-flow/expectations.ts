// What a guild's object remembers for "Join with Discord" (pure: the object
// stores it, the caller supplies every time). The flow tells the object whom
// the bot is about to add and why before asking Discord, so the member's
// GUILD_MEMBER_ADD, however early it comes, finds its reason waiting. An
// expectation no join follows (a failed add, a 204) expires and changes nothing.

/** The bot is about to add `userId` for this invitation. */
export interface Expectation {
  userId: string;
  invitationId: number;
  /** Our clock, ms: after this no join is taken for this add. */
  expiresAt: number;
}

export interface JoinFlowMemory {
  expectations: Expectation[];
  /** States' nonces already used, until their expiry (ms): a replayed callback adds nobody. */
  usedNonces: Record<string, number>;
  /** The last time Discord refused an add for want of Create Invite (50013), for /invite health. */
  missingPermissionAt: number | null;
}

export const EMPTY_JOIN_FLOW: JoinFlowMemory = { expectations: [], usedNonces: {}, missingPermissionAt: null };

/** A memory cannot grow without bound: a flood of sign-ins keeps the latest. */
const MAX_KEPT = 1_000;

const live = (memory: JoinFlowMemory, now: number): JoinFlowMemory => ({
  ...memory,
  expectations: memory.expectations.filter((e) => e.expiresAt > now).slice(-MAX_KEPT),
  usedNonces: Object.fromEntries(
    Object.entries(memory.usedNonces)
      .filter(([, until]) => until > now)
      .slice(-MAX_KEPT),
  ),
});

/** Marks a state's nonce used; `fresh` is false when it was used before (a replay). */
export function useNonce(memory: JoinFlowMemory, nonce: string, expiresAt: number, now: number): { memory: JoinFlowMemory; fresh: boolean } {
  const kept = live(memory, now);
  if (kept.usedNonces[nonce] !== undefined) return { memory: kept, fresh: false };
  return { memory: { ...kept, usedNonces: { ...kept.usedNonces, [nonce]: expiresAt } }, fresh: true };
}

/** Expects `expectation.userId` (one expectation per user: the latest add's). */
export function expect(memory: JoinFlowMemory, expectation: Expectation, now: number): JoinFlowMemory {
  const kept = live(memory, now);
  return { ...kept, expectations: [...kept.expectations.filter((e) => e.userId !== expectation.userId), expectation] };
}

/** The add did not happen: a later join of this user is not the bot's. */
export function forget(memory: JoinFlowMemory, userId: string, now: number): JoinFlowMemory {
  const kept = live(memory, now);
  return { ...kept, expectations: kept.expectations.filter((e) => e.userId !== userId) };
}

/** A join of `userId` arrived: the expectation it fulfils (taken out), or null. */
export function fulfil(memory: JoinFlowMemory, userId: string, now: number): { memory: JoinFlowMemory; expectation: Expectation | null } {
  const kept = live(memory, now);
  const expectation = kept.expectations.find((e) => e.userId === userId) ?? null;
  return expectation ? { memory: forget(kept, userId, now), expectation } : { memory: kept, expectation: null };
}
