/**
 * Playing members joining: new users join through a chosen invite, the vanity
 * URL, Server Discovery or an OAuth add (the last two raise no count), paced
 * or all at once, optionally with a share of each join drawn from Discovery
 * and OAuth. Through the same paths as the control API's single joins, so the
 * truth log and the gateway see them.
 */
import { JOINS_WITHOUT_INVITE, type FakeDiscordState, type JoinRecord, type JoinWithoutInvite, type UserInput } from "./state";
import * as errors from "./errors";

export interface PlayRequest {
  /** An invite code of the guild, "vanity", "discovery" or "oauth". */
  invite: string;
  count: number;
  /** Milliseconds between joins; 0 plays a burst (every join in the same instant). */
  pace_ms?: number;
  /** Probability that a join comes through Discovery / an OAuth add instead of `invite`, drawn per join. */
  mix?: Partial<Record<JoinWithoutInvite, number>>;
}

const isWithoutInvite = (way: string): way is JoinWithoutInvite => Object.hasOwn(JOINS_WITHOUT_INVITE, way);

/** One join by `way` (a code, "vanity", "discovery" or "oauth"); returns its truth record. */
export function join(state: FakeDiscordState, guildId: string, way: string, user: UserInput): JoinRecord {
  if (way === "vanity") state.joinViaVanity(guildId, user);
  else if (isWithoutInvite(way)) state.joinWithoutInvite(guildId, { user, join_source_type: JOINS_WITHOUT_INVITE[way] });
  else state.joinViaInvite(way, user);
  return state.joins.at(-1)!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function playJoins(state: FakeDiscordState, guildId: string, request: PlayRequest): Promise<JoinRecord[]> {
  const guild = state.guild(guildId);
  const named = request.invite === "vanity" || isWithoutInvite(request.invite);
  if (!named && state.invite(request.invite).guild_id !== guildId) throw errors.unknownInvite();
  const mix = Object.entries(request.mix ?? {});
  const way = () => {
    let draw = mix.length ? state.random.next() : 1;
    for (const [other, share] of mix) {
      if (draw < share) return other;
      draw -= share;
    }
    return request.invite;
  };
  const played: JoinRecord[] = [];
  for (let i = 0; i < request.count; i++) {
    if (i > 0 && request.pace_ms) await sleep(request.pace_ms);
    played.push(join(state, guild.id, way(), state.accounts.newcomer(state.now())));
  }
  return played;
}
