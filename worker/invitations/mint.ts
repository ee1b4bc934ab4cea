import type { Db, Queryable } from "../db";
import { newInvitationCode } from "./code";
import { newSeed } from "./draw";
import { drawEligible } from "./eligible";
import { DAY_MS, type Policy } from "./policy";
import { insertWave, lockGuildInvitations } from "./store";

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

/**
 * Draws a wave: n eligible members chosen uniformly at random, each given an
 * invitation, the wave and its rows written in one transaction under the
 * guild's invitation lock (so two overlapping mints see each other). A dry run
 * draws the same way and writes nothing.
 */
export async function mintWave(db: Db, request: MintRequest): Promise<MintResult> {
  const seed = newSeed();
  const expiresAt = request.expiresDays > 0 ? new Date(request.now.getTime() + request.expiresDays * DAY_MS) : null;
  const draw = (q: Queryable) => drawEligible(q, request.guildId, request.policy, request.now, request.count, seed);
  const base = { requested: request.count, seed, expiresAt, dryRun: request.dryRun };
  if (request.dryRun) return { ...base, ...(await draw(db)), waveId: null };
  return db.transaction(async (tx) => {
    await lockGuildInvitations(tx, request.guildId);
    const { eligible, recipients } = await draw(tx);
    // Nobody to give one to: no wave to record either.
    if (recipients.length === 0) return { ...base, eligible: 0, recipients, waveId: null };
    const waveId = await insertWave(
      tx,
      { guildId: request.guildId, policy: request.policy, requested: request.count, eligible, seed, createdBy: request.createdBy },
      recipients.map((inviterId) => ({ code: newInvitationCode(), inviterId })),
      expiresAt,
      request.onProgress,
    );
    return { ...base, eligible, recipients, waveId };
  });
}
