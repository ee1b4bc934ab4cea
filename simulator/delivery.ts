/**
 * The gateway's lateness: holds each dispatch until its deliver_at, then
 * emits "delivered" on the state's events, in order per guild. A dispatch that
 * is already due (no latency, nothing held before it) is delivered at once.
 */
import type { Dispatch, FakeDiscordState } from "./state";

/** Starts delivering; returns a function that stops (dispatches still held are dropped). */
export function startDelivery(state: FakeDiscordState): () => void {
  const held = new Map<string, { queue: Dispatch[]; timer?: NodeJS.Timeout }>();

  const flush = (guildId: string) => {
    const guild = held.get(guildId)!;
    guild.timer = undefined;
    while (guild.queue[0] && guild.queue[0].deliver_at <= state.now()) state.events.emit("delivered", guild.queue.shift());
    const next = guild.queue[0];
    if (next) guild.timer = setTimeout(() => flush(guildId), next.deliver_at - state.now());
    else held.delete(guildId);
  };
  const onDispatch = (dispatch: Dispatch) => {
    const guild = held.get(dispatch.guild_id) ?? { queue: [] };
    held.set(dispatch.guild_id, guild);
    guild.queue.push(dispatch);
    // A pending timer serves the head, which is due no later than this one.
    if (!guild.timer) flush(dispatch.guild_id);
  };

  state.events.on("dispatch", onDispatch);
  return () => {
    state.events.off("dispatch", onDispatch);
    for (const guild of held.values()) clearTimeout(guild.timer);
    held.clear();
  };
}
