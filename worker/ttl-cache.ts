/**
 * A small cache that lives in the isolate: an entry is good for `ttlMs`, and
 * past `maxEntries` the oldest goes first, so a flood of distinct keys costs
 * bounded memory. It holds plain values only (Workers forbid sharing I/O
 * objects, promises of another request's I/O included, across requests).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  /** The value stored under `key` and still good at `nowMs`, or undefined. */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, nowMs: number): void {
    // Re-inserted, so the Map's order stays the order of writes: the first key is the oldest.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: nowMs + this.options.ttlMs });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
