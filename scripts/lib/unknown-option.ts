import { parseArgs } from "node:util";

/**
 * The first option on a command line that is not one of `known`, with the
 * known option it most likely stands for. Node's own parser says only
 * "Unknown option", in words about positionals that confuse more than help.
 */
export function unknownOption(args: string[], known: readonly string[]): { option: string; suggestion: string | null } | null {
  const { tokens } = parseArgs({ args, strict: false, allowPositionals: true, tokens: true });
  const token = tokens.find((t) => t.kind === "option" && !known.includes(t.name));
  return token?.kind === "option" ? { option: token.rawName, suggestion: closestName(token.name, known) } : null;
}

/** The known name a typo most likely meant: the nearest by edit distance, if near enough to be a typo (a third of its letters). */
export function closestName(name: string, known: readonly string[]): string | null {
  const allowed = Math.max(1, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance <= allowed && (best === null || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name ?? null;
}

/** Letters inserted, deleted, replaced or swapped with their neighbour (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
