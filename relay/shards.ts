/**
 * Which gateway shards one relay process holds (pure; read by config.ts).
 * Discord sends a guild's events to shard `(guild_id >> 22) % shard_count`,
 * so processes that split the shards between them must agree on the count:
 * a range without RELAY_SHARD_COUNT is refused rather than guessed.
 */
export interface ShardSelection {
  count: number;
  first: number;
  last: number;
}

export type ShardSelectionFailure =
  | { kind: "ids-without-count" }
  | { kind: "bad-count"; raw: string }
  | { kind: "bad-range"; raw: string }
  | { kind: "backwards"; first: number; last: number }
  | { kind: "outside-count"; first: number; last: number; count: number };

/** Discord documents no maximum; this bounds typos (a bot in 10M guilds needs 4,000 at 2,500 each). */
export const MAX_SHARD_COUNT = 65_536;

/**
 * `null`: neither variable is set, so this one process holds every shard
 * Discord recommends (GET /gateway/bot's `shards`). A count alone holds all
 * of its shards; a range holds part of them.
 */
export function selectShards(countRaw: string | undefined, idsRaw: string | undefined): ShardSelection | null | ShardSelectionFailure {
  const countText = countRaw?.trim() ?? "";
  const idsText = idsRaw?.trim() ?? "";
  if (!countText) return idsText ? { kind: "ids-without-count" } : null;
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_SHARD_COUNT) return { kind: "bad-count", raw: countText };
  const count = Number(countText);
  if (!idsText) return { count, first: 0, last: count - 1 };
  const match = /^(\d+)(?:-(\d+))?$/.exec(idsText);
  if (!match) return { kind: "bad-range", raw: idsText };
  const first = Number(match[1]);
  const last = Number(match[2] ?? match[1]);
  if (last < first) return { kind: "backwards", first, last };
  if (last >= count) return { kind: "outside-count", first, last, count };
  return { count, first, last };
}

export function isShardFailure(value: ShardSelection | ShardSelectionFailure | null): value is ShardSelectionFailure {
  return value !== null && "kind" in value;
}

export function describeShardFailure(failure: ShardSelectionFailure): string {
  switch (failure.kind) {
    case "ids-without-count":
      return "RELAY_SHARD_IDS needs RELAY_SHARD_COUNT: every process must use the same shard count, or guilds would be routed to shards nobody holds";
    case "bad-count":
      return `RELAY_SHARD_COUNT must be an integer in [1, ${MAX_SHARD_COUNT}], got ${JSON.stringify(failure.raw)}`;
    case "bad-range":
      return `RELAY_SHARD_IDS must be a range such as 0-3 or one shard id such as 2, got ${JSON.stringify(failure.raw)}`;
    case "backwards":
      return `RELAY_SHARD_IDS ${failure.first}-${failure.last} runs backwards; write ${failure.last}-${failure.first}`;
    case "outside-count":
      return `RELAY_SHARD_IDS ${failure.first}-${failure.last} goes past RELAY_SHARD_COUNT ${failure.count} (shard ids are 0-${failure.count - 1})`;
  }
}

/** "0-3", or "2" for one shard: the form RELAY_SHARD_IDS takes, used in default paths and logs. */
export function shardRangeLabel({ first, last }: ShardSelection): string {
  return first === last ? String(first) : `${first}-${last}`;
}

export function shardIds({ first, last }: ShardSelection): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Whether this process holds only part of the shards (so it needs its own spool and health port). */
export function isPartial(selection: ShardSelection | null): selection is ShardSelection {
  return selection !== null && (selection.first > 0 || selection.last < selection.count - 1);
}
