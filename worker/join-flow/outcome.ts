// The pure core of "Join with Discord": what the callback's query asks, what
// Discord's answer to the add means, and which page and status each outcome
// gets. No I/O: the routes and the flow (flow.ts) feed it facts.

/** Why a state is refused: each is a 400 and adds nobody. */
export type StateRefusal = "malformed" | "forged" | "expired" | "too_far_ahead" | "not_this_browser" | "replayed";

export type Unavailable = "rate_limited" | "discord" | "database";

/** Every way a callback can end, each with its page. */
export type JoinOutcome =
  | { kind: "joined"; guildId: string }
  | { kind: "already_member"; guildId: string }
  | { kind: "declined"; invitationCode: string | null }
  | { kind: "bad_state"; reason: StateRefusal }
  /** Discord refused the code or the token it gave (used, expired, another redirect): sign in again. */
  | { kind: "sign_in_failed" }
  | { kind: "invitation_gone"; status: "spent" | "revoked" | "expired" }
  /** The bot lacks Create Invite in the server (403, 50013): the admins are told in /invite health. */
  | { kind: "missing_permission" }
  | { kind: "banned" }
  | { kind: "too_many_servers" }
  | { kind: "unavailable"; cause: Unavailable };

export type OutcomePage = JoinOutcome["kind"];

/**
 * The HTTP answer of each outcome: a redirect for a join, a page for the rest.
 * Never a 500: Discord's and the database's outages are 503 "try again".
 */
export function outcomeStatus(outcome: JoinOutcome): 303 | 200 | 400 | 403 | 409 | 410 | 503 {
  switch (outcome.kind) {
    case "joined":
      return 303;
    case "already_member":
    case "declined":
      return 200;
    case "bad_state":
    case "sign_in_failed":
      return 400;
    case "invitation_gone":
      return 410;
    case "missing_permission":
    case "banned":
      return 403;
    case "too_many_servers":
      return 409;
    case "unavailable":
      return 503;
  }
}

/** What Discord answered `PUT /guilds/{guild}/members/{user}`, as the REST client reports it. */
export type AddAnswer =
  | { ok: true; created: boolean }
  | { ok: false; kind: "discord"; status: number; code: number }
  | { ok: false; kind: "discord_unavailable"; reason: "rate_limited" | "server_error" | "network" | "edge_blocked" };

/** Discord's JSON error codes the add can meet (developers/topics/opcodes-and-status-codes). */
export const AddErrorCode = { TooManyGuilds: 30001, Banned: 40007, MissingPermissions: 50013, InvalidOAuthToken: 50025 } as const;

/** The outcome of the add, from Discord's answer. A 201 is the only answer that keeps the invitation's claim. */
export function addOutcome(guildId: string, answer: AddAnswer): JoinOutcome {
  if (answer.ok) return answer.created ? { kind: "joined", guildId } : { kind: "already_member", guildId };
  if (answer.kind === "discord_unavailable") return { kind: "unavailable", cause: answer.reason === "rate_limited" ? "rate_limited" : "discord" };
  switch (answer.code) {
    case AddErrorCode.MissingPermissions:
      return { kind: "missing_permission" };
    case AddErrorCode.Banned:
      return { kind: "banned" };
    case AddErrorCode.TooManyGuilds:
      return { kind: "too_many_servers" };
    case AddErrorCode.InvalidOAuthToken:
      return { kind: "sign_in_failed" };
    default:
      // Another refusal of ours (a bad body, the bot gone from the server) is not the member's to fix.
      return { kind: "unavailable", cause: "discord" };
  }
}

/** What the callback's query asks for. */
export type CallbackRequest =
  | { kind: "declined"; state: string }
  | { kind: "authorized"; code: string; state: string }
  | { kind: "malformed" };

const CODE = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_STATE = 512;

/**
 * Reads `?code=&state=` or `?error=access_denied&state=` (RFC 6749 §4.1.2). Any
 * other error, or a missing or oversized parameter, is malformed: a page, not a guess.
 */
export function readCallback(query: { code?: string; state?: string; error?: string }): CallbackRequest {
  const { code, state, error } = query;
  if (state === undefined || state.length === 0 || state.length > MAX_STATE) return { kind: "malformed" };
  if (error !== undefined) return error === "access_denied" ? { kind: "declined", state } : { kind: "malformed" };
  if (code === undefined || !CODE.test(code)) return { kind: "malformed" };
  return { kind: "authorized", code, state };
}
