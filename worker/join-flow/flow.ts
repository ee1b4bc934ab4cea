// "Join with Discord" (OAuth2 guilds.join), the I/O around the pure core:
// the button's redirect to Discord's consent page, and the callback that adds
// the member. The access token stays in this module's variables, is used for
// the add, then revoked: it is never stored, and never logged.
import { eq } from "drizzle-orm";
import { invitations, type Invitation } from "../../schema";
import type { Db } from "../db";
import { DiscordRest } from "../discord/rest";
import { invitationStatus } from "../invitations/store";
import { logError } from "../log";
import { claimInvitation, releaseClaim } from "./claim";
import { exchangeCode, oauthClient, readUserId, revokeToken, type OAuthClient } from "./discord-oauth";
import { addOutcome, type AddAnswer, type JoinOutcome } from "./outcome";
import { newNonce, signState, STATE_TTL_S, verifyState, type StateClaims } from "./state";

/** The only scopes asked for: who the member is, and leave to add them to the server. */
export const SCOPES = "identify guilds.join";

/** Where the button sends the browser, and the nonce its cookie must carry back. */
export async function authorizeRedirect(env: Env, invitation: Invitation, now: Date): Promise<{ location: string; nonce: string }> {
  const claims: StateClaims = {
    purpose: "invitation",
    guildId: invitation.guildId,
    invitationId: invitation.id,
    nonce: newNonce(),
    expiresAt: Math.floor(now.getTime() / 1000) + STATE_TTL_S,
  };
  const url = new URL(env.DISCORD_OAUTH_AUTHORIZE_URL);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", env.DISCORD_APPLICATION_ID);
  url.searchParams.set("scope", SCOPES);
  url.searchParams.set("redirect_uri", `${env.PUBLIC_URL}/oauth/callback`);
  url.searchParams.set("state", await signState(env.DISCORD_CLIENT_SECRET, claims));
  // Consent again each time: a member who said yes once is still shown what they allow.
  url.searchParams.set("prompt", "consent");
  return { location: url.toString(), nonce: claims.nonce };
}

const objectOf = (env: Env, guildId: string) => env.GUILD_INVITES.get(env.GUILD_INVITES.idFromName(guildId));

/** The member declined on Discord's page: the way back to their invitation, if the state is ours. */
export async function declined(env: Env, db: Db, state: string, cookieNonce: string | undefined, now: Date): Promise<JoinOutcome> {
  const checked = await verifyState(env.DISCORD_CLIENT_SECRET, state, cookieNonce, Math.floor(now.getTime() / 1000));
  if (!checked.ok) return { kind: "bad_state", reason: checked.reason };
  const [invitation] = await db.select({ code: invitations.code }).from(invitations).where(eq(invitations.id, checked.claims.invitationId));
  return { kind: "declined", invitationCode: invitation?.code ?? null };
}

export interface JoinRequest {
  code: string;
  state: string;
  cookieNonce: string | undefined;
}

/**
 * The callback: the state checked and spent, the code exchanged, the user read,
 * the invitation claimed, the guild's object told, then the add; the token is
 * revoked whatever happened. `oauth` and `rest` are the Discord clients (tests
 * pass their own sleeps).
 */
export async function completeJoin(
  env: Env,
  db: Db,
  request: JoinRequest,
  now: Date,
  clients: { oauth: OAuthClient; rest: DiscordRest } = { oauth: oauthClient(env), rest: DiscordRest.fromEnv(env, { maxAttempts: 2, maxWaitMs: 5_000 }) },
): Promise<JoinOutcome> {
  const checked = await verifyState(env.DISCORD_CLIENT_SECRET, request.state, request.cookieNonce, Math.floor(now.getTime() / 1000));
  if (!checked.ok) return { kind: "bad_state", reason: checked.reason };
  const { guildId, invitationId, nonce, expiresAt } = checked.claims;
  const object = objectOf(env, guildId);
  if (!(await object.useJoinState(nonce, expiresAt * 1000))) return { kind: "bad_state", reason: "replayed" };

  const [invitation] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
  if (!invitation || invitation.guildId !== guildId) return { kind: "invitation_gone", status: "revoked" };
  const status = invitationStatus(invitation, now);
  if (status !== "unspent") return { kind: "invitation_gone", status };

  const token = await exchangeCode(clients.oauth, request.code);
  if (!token.ok) return token.failure === "refused" ? { kind: "sign_in_failed" } : { kind: "unavailable", cause: token.failure };
  try {
    return await addMember(db, object, invitation, token.value, now, clients);
  } finally {
    // Revoked at once: the add was its one use. A failed revocation leaves a token nobody holds, expiring by itself.
    if (!(await revokeToken(clients.oauth, token.value))) logError("revoking a Join with Discord token failed", new Error("revoke refused"), { guild: guildId });
  }
}

async function addMember(
  db: Db,
  object: ReturnType<typeof objectOf>,
  invitation: Invitation,
  accessToken: string,
  now: Date,
  clients: { oauth: OAuthClient; rest: DiscordRest },
): Promise<JoinOutcome> {
  const user = await readUserId(clients.oauth, accessToken);
  if (!user.ok) return user.failure === "refused" ? { kind: "sign_in_failed" } : { kind: "unavailable", cause: user.failure };
  const userId = user.value;
  const until = new Date(now.getTime() + STATE_TTL_S * 1000);
  const claim = await claimInvitation(db, invitation, userId, until, now);
  if (!claim.ok) return { kind: "invitation_gone", status: claim.status };

  let outcome: JoinOutcome;
  try {
    // First the object, then Discord: the GUILD_MEMBER_ADD may come before the PUT's answer.
    await object.expectJoin({ userId, invitationId: invitation.id, expiresAt: until.getTime() });
    const put = await clients.rest.put<unknown>(`/guilds/${invitation.guildId}/members/${userId}`, { access_token: accessToken });
    // 201 carries the new member; 204 (already a member) has no body.
    const answer: AddAnswer = put.ok ? { ok: true, created: put.value !== undefined } : { ok: false, ...put.error };
    outcome = addOutcome(invitation.guildId, answer);
  } catch (error) {
    await releaseClaim(db, invitation.id, userId).catch(() => undefined);
    throw error;
  }
  if (outcome.kind === "joined") {
    await object.addSucceeded();
  } else {
    await releaseClaim(db, invitation.id, userId);
    await object.addFailed(userId, outcome.kind === "missing_permission");
  }
  return outcome;
}
