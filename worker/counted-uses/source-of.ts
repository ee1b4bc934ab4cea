/**
 * The source of a join whose code is in doubt (pure): when it surely came through
 * one of its candidates and they all carry one label, it came from that source
 * (`method = source`). The outbox writer applies the same rule in SQL against the
 * labels Postgres holds (worker/guild-invites/writer.ts).
 */
export function sourceOfCandidates<S>(candidates: readonly string[], throughCandidate: boolean, sourceOf: (code: string) => S | null): S | null {
  if (!throughCandidate || candidates.length === 0) return null;
  const sources = new Set(candidates.map(sourceOf));
  const [only] = sources;
  return sources.size === 1 && only !== undefined && only !== null ? only : null;
}
