import type { Db, Queryable } from "../db";
import { newInvitationCode } from "./code";
import { choose, newSeed } from "./draw";
import { DAY_MS, isEligible, readScope, type Policy } from "./policy";
import { insertWave, lockGuildInvitations, memberFacts } from "./store";

export interface MintRequest {
  guildId: string;
  policy: Policy;
  count: number;
  /** Days until the invitations expire; 0 means never. */
  expiresDays: number;
  createdBy: string | null;
  dryRun: boolean;
  now: Date;
  /** Called as the invitations are written (the CLI's progress bar). */
  onProgress?: (written: number, total: number) => void;
}

export interface MintResult {
  dryRun: boolean;
  eligible: number;
  requested: number;
  /** The members chosen (all of them when fewer were eligible than requested). */
  recipients: string[];
  seed: string;
  waveId: number | null;
  expiresAt: Date | null;
}

/** The members the policy allows, in user id order (the order the seed's draw is defined on). */
export async function eligibleMembers(db: Queryable, guildId: string, policy: Policy, now: Date): Promise<string[]> {
  const facts = await memberFacts(db, guildId, now, readScope(policy, now.getTime()));
  return facts.filter((m) => isEligible(m, policy, now.getTime())).map((m) => m.userId);
}

/**
 * Draws a wave: n eligible members chosen uniformly at random, each given an
 * invitation, the wave and its rows written in one transaction under the
 * guild's invitation lock (so two overlapping mints see each other). A dry run
 * draws the same way and writes nothing.
 */
export async function mintWave(db: Db, request: MintRequest): Promise<MintResult> {
  const seed = newSeed();
  const expiresAt = request.expiresDays > 0 ? new Date(request.now.getTime() + request.expiresDays * DAY_MS) : null;
  const draw = (eligible: string[]) => choose(eligible, request.count, seed);
  const base = { requested: request.count, seed, expiresAt, dryRun: request.dryRun };
  if (request.dryRun) {
    const eligible = await eligibleMembers(db, request.guildId, request.policy, request.now);
    return { ...base, eligible: eligible.length, recipients: draw(eligible), waveId: null };
  }
  return db.transaction(async (tx) => {
    await lockGuildInvitations(tx, request.guildId);
    const eligible = await eligibleMembers(tx, request.guildId, request.policy, request.now);
    const recipients = draw(eligible);
    // Nobody to give one to: no wave to record either.
    if (recipients.length === 0) return { ...base, eligible: 0, recipients, waveId: null };
    const waveId = await insertWave(
      tx,
      { guildId: request.guildId, policy: request.policy, requested: request.count, eligible: eligible.length, seed, createdBy: request.createdBy },
      recipients.map((inviterId) => ({ code: newInvitationCode(), inviterId })),
      expiresAt,
      request.onProgress,
    );
    return { ...base, eligible: eligible.length, recipients, waveId };
  });
}
