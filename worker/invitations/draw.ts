/**
 * The random draw of a wave, reproducible from its seed: the same seed and the
 * same eligible members (in user id order) choose the same recipients, so a
 * wave can be explained later. Pure.
 */

/** 128 random bits as hex, from crypto.getRandomValues. */
export function newSeed(): string {
  return [...crypto.getRandomValues(new Uint32Array(4))].map((w) => w.toString(16).padStart(8, "0")).join("");
}

/** xoshiro128**: small, fast, and with 128 bits of state, every seed bit counts. */
function generator(seedHex: string): () => number {
  if (!/^[0-9a-f]{32}$/.test(seedHex)) throw new RangeError(`a seed is 32 hex digits, not ${seedHex}`);
  const word = (i: number) => parseInt(seedHex.slice(i * 8, i * 8 + 8), 16) >>> 0;
  let [a, b, c, d] = [word(0), word(1), word(2), word(3)];
  if ((a | b | c | d) === 0) a = 1;
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
}

/** An unbiased integer in [0, bound): draws above the largest multiple of bound are rejected. */
function below(next: () => number, bound: number): number {
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const x = next();
    if (x < limit) return x % bound;
  }
}

/** `count` distinct items chosen uniformly at random (a partial Fisher–Yates shuffle); all of them when count ≥ length. */
export function choose<T>(items: readonly T[], count: number, seedHex: string): T[] {
  const next = generator(seedHex);
  const pool = [...items];
  const n = Math.min(Math.max(0, count), pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + below(next, pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
