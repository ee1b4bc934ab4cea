/**
 * Playing members joining: new users join through a chosen invite (or the
 * vanity URL), paced or all at once, through the same path as
 * `/_fake/invites/{code}/join`, so the truth log and the gateway see them.
 */
import { snowflake } from "./ids";
import { simulatedUsername } from "./seed";
import type { FakeDiscordState, JoinRecord } from "./state";
import * as errors from "./errors";

export interface PlayRequest {
  /** An invite code of the guild, or "vanity". */
  invite: string;
  count: number;
  /** Milliseconds between joins; 0 plays a burst (every join in the same instant). */
  pace_ms?: number;
}

let newcomers = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function playJoins(state: FakeDiscordState, guildId: string, request: PlayRequest): Promise<JoinRecord[]> {
  const guild = state.guild(guildId);
  if (request.invite !== "vanity" && state.invite(request.invite).guild_id !== guildId) throw errors.unknownInvite();
  const played: JoinRecord[] = [];
  for (let i = 0; i < request.count; i++) {
    if (i > 0 && request.pace_ms) await sleep(request.pace_ms);
    const user = { id: snowflake(state.now()), username: simulatedUsername(newcomers++, "new_") };
    if (request.invite === "vanity") state.joinViaVanity(guild.id, user);
    else state.joinViaInvite(request.invite, user);
    played.push(state.joins.at(-1)!);
  }
  return played;
}
