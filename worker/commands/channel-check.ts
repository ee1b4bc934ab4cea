import { guildChannel } from "../discord/channels";
import type { InteractionContext } from "./context";
import { fail, ok, type Outcome } from "./failures";

/**
 * Refuses a channel that is not this server's before anything is saved or
 * created. Discord's client offers only the server's own channels, but a
 * signed interaction can carry any id, and the bot must not act in another
 * server on this server's admin's word.
 */
export async function requireGuildChannel(ctx: InteractionContext, channelId: string): Promise<Outcome<string>> {
  const lookup = await guildChannel(ctx.rest, ctx.guildId, channelId);
  if (lookup.ok) return ok(channelId);
  switch (lookup.problem) {
    case "not_in_guild":
      return fail({ kind: "unknown_channel" });
    case "discord":
      return fail({ kind: "discord", failure: lookup.failure, action: { key: "action.look_up_channel" } });
  }
}
