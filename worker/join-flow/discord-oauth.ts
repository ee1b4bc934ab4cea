/**
 * Discord's OAuth2 endpoints for "Join with Discord": the code exchange, the
 * user behind the token, and its revocation (developers/topics/oauth2). The
 * client authenticates with HTTP Basic, the bodies are form-encoded. The
 * access token lives in the caller's variables only: never stored, never logged.
 */

export interface OAuthClient {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  sleep?: (ms: number) => Promise<void>;
}

/** Why a call gave nothing: Discord refused it (the code used or expired), or could not answer. */
export type OAuthFailure = "refused" | "rate_limited" | "discord";
export type OAuthResult<T> = { ok: true; value: T } | { ok: false; failure: OAuthFailure };

/** A 429 is waited out once, if Discord asks for no more than this. */
const MAX_RETRY_AFTER_MS = 5_000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const oauthClient = (env: Env, sleep?: (ms: number) => Promise<void>): OAuthClient => ({
  apiBase: env.DISCORD_API_BASE,
  clientId: env.DISCORD_APPLICATION_ID,
  clientSecret: env.DISCORD_CLIENT_SECRET,
  redirectUri: `${env.PUBLIC_URL}/oauth/callback`,
  sleep,
});

/** `POST /oauth2/token` (authorization_code): the user's access token. */
export async function exchangeCode(client: OAuthClient, code: string): Promise<OAuthResult<string>> {
  const answer = await call(client, "/oauth2/token", form(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri }));
  if (!answer.ok) return answer;
  const token = (answer.value as { access_token?: unknown }).access_token;
  return typeof token === "string" && token.length > 0 ? { ok: true, value: token } : { ok: false, failure: "discord" };
}

/** `GET /users/@me` with the user's token: their id. */
export async function readUserId(client: OAuthClient, accessToken: string): Promise<OAuthResult<string>> {
  const answer = await call(client, "/users/@me", { method: "GET", headers: { Authorization: `Bearer ${accessToken}` } });
  if (!answer.ok) return answer;
  const id = (answer.value as { id?: unknown }).id;
  return typeof id === "string" && /^\d{17,20}$/.test(id) ? { ok: true, value: id } : { ok: false, failure: "discord" };
}

/** `POST /oauth2/token/revoke`: the token (and its refresh token) stop working. */
export async function revokeToken(client: OAuthClient, accessToken: string): Promise<boolean> {
  const answer = await call(client, "/oauth2/token/revoke", form(client, { token: accessToken, token_type_hint: "access_token" }));
  return answer.ok;
}

function form(client: OAuthClient, fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
    },
    body: new URLSearchParams(fields).toString(),
  };
}

async function call(client: OAuthClient, path: string, init: RequestInit): Promise<OAuthResult<unknown>> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(client.apiBase + path, init);
    } catch {
      return { ok: false, failure: "discord" };
    }
    const text = await response.text();
    const body = parse(text);
    if (response.status === 429) {
      const waitMs = Math.ceil(Number((body as { retry_after?: unknown } | undefined)?.retry_after ?? 1) * 1000);
      if (attempt > 1 || !(waitMs >= 0 && waitMs <= MAX_RETRY_AFTER_MS)) return { ok: false, failure: "rate_limited" };
      await (client.sleep ?? defaultSleep)(waitMs);
      continue;
    }
    if (response.status >= 500) return { ok: false, failure: "discord" };
    if (!response.ok) return { ok: false, failure: "refused" };
    return { ok: true, value: body ?? {} };
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
