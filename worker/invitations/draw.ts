/**
 * The seed of a wave's random draw (worker/invitations/eligible.ts): the same seed
 * and the same eligible members choose the same recipients, so a wave can be explained later.
 */

/** 128 random bits as hex, from crypto.getRandomValues. */
export function newSeed(): string {
  return [...crypto.getRandomValues(new Uint32Array(4))].map((w) => w.toString(16).padStart(8, "0")).join("");
}
