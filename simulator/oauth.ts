/**
 * OAuth2 as Discord does it, for "Join with Discord" (developers/topics/oauth2,
 * resources/guild "Add Guild Member"): a consent page with Authorize and Cancel,
 * single-use codes bound to their redirect_uri, the token endpoint (client id
 * and secret, form-encoded), the user behind a Bearer token, revocation, and
 * the add itself: 201 or 204, no invite's uses moving, a GUILD_MEMBER_ADD with
 * the gateway's latency, and Discord's refusals (50013, 40007, 30001, 50025).
 */
import { randomBytes } from "node:crypto";
import { DiscordError } from "./errors";
import * as errors from "./errors";
import { memberJson, userJson } from "./objects";
import { json, noContent, type Route } from "./router";
import { JoinSourceType, Permission, type FakeDiscordState, type UserInput } from "./state";

/** The client secret the fake's application has (the Worker's DISCORD_CLIENT_SECRET in tests and `npm start`). */
export const FAKE_CLIENT_SECRET = "fake-client-secret";
/** Discord's authorization codes are short-lived. */
const CODE_TTL_MS = 10 * 60_000;
const TOKEN_TTL_S = 604_800;
/** Discord's cap on servers per user (without Nitro). */
const MAX_GUILDS_PER_USER = 100;
const KNOWN_SCOPES = new Set(["identify", "email", "guilds", "guilds.join", "guilds.members.read", "connections"]);
const CREATE_INSTANT_INVITE = 1n << 0n;

interface Grant {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
}

/** What a consent page asks: the authorize URL's query, checked as Discord checks it. */
export interface AuthorizeRequest {
  clientId: string;
  scopes: string[];
  redirectUri: string;
  state: string | null;
}

export type OAuthErrorBody = { error: string; error_description: string };
const oauthError = (status: number, error: string, description: string) => ({ status, body: { error, error_description: description } satisfies OAuthErrorBody });

export class FakeOAuth {
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, Grant & { revoked: boolean }>();
  /** Banned users per guild (40007 on an add). */
  readonly bans = new Map<string, Set<string>>();
  /** Tokens revoked, for tests to see that the bot revoked what it got. */
  readonly revoked: string[] = [];

  constructor(
    private readonly state: FakeDiscordState,
    readonly clientSecret = FAKE_CLIENT_SECRET,
  ) {}

  get clientId() {
    return this.state.botUser.id;
  }

  /** Reads an authorize URL's query; a bad one is Discord's error page (a 400), not a redirect. */
  authorizeRequest(query: URLSearchParams): AuthorizeRequest {
    const bad = (text: string) => new DiscordError(400, { message: text, code: 50035 });
    if (query.get("response_type") !== "code") throw bad("Invalid response_type");
    if (query.get("client_id") !== this.clientId) throw bad("Unknown Application");
    const scopes = (query.get("scope") ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) throw bad("Invalid scope");
    const redirectUri = query.get("redirect_uri") ?? "";
    if (!/^https?:\/\//.test(redirectUri)) throw bad("Invalid OAuth2 redirect_uri");
    return { clientId: this.clientId, scopes, redirectUri, state: query.get("state") };
  }

  /** The member's answer on the consent page: where Discord sends the browser next. */
  decide(request: AuthorizeRequest, user: UserInput, authorize: boolean): string {
    const target = new URL(request.redirectUri);
    if (authorize) {
      this.state.upsertUser(user);
      const code = randomBytes(15).toString("base64url");
      this.codes.set(code, { userId: user.id, scopes: request.scopes, redirectUri: request.redirectUri, expiresAt: this.state.now() + CODE_TTL_MS });
      target.searchParams.set("code", code);
    } else {
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The resource owner or authorization server denied the request");
    }
    if (request.state !== null) target.searchParams.set("state", request.state);
    return target.toString();
  }

  /** POST /oauth2/token and /oauth2/token/revoke: the client authenticates with Basic or with fields of the form. */
  private clientAuthenticated(authorization: string, form: URLSearchParams): boolean {
    let [id, secret] = [form.get("client_id"), form.get("client_secret")];
    const basic = /^Basic (\S+)$/.exec(authorization);
    if (basic) [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":") as [string, string];
    return id === this.clientId && secret === this.clientSecret;
  }

  token(authorization: string, form: URLSearchParams) {
    if (!this.clientAuthenticated(authorization, form)) return oauthError(401, "invalid_client", "Invalid client");
    if (form.get("grant_type") !== "authorization_code") return oauthError(400, "unsupported_grant_type", "Unsupported grant type");
    const code = form.get("code") ?? "";
    const grant = this.codes.get(code);
    // Single use: a code is gone once exchanged, whether or not the exchange succeeds.
    this.codes.delete(code);
    if (!grant || grant.expiresAt <= this.state.now()) return oauthError(400, "invalid_grant", 'Invalid "code" in request.');
    if (form.get("redirect_uri") !== grant.redirectUri) return oauthError(400, "invalid_grant", 'Invalid "redirect_uri" in request.');
    const accessToken = randomBytes(24).toString("base64url");
    this.tokens.set(accessToken, { ...grant, expiresAt: this.state.now() + TOKEN_TTL_S * 1000, revoked: false });
    return {
      status: 200,
      body: { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_S, refresh_token: randomBytes(24).toString("base64url"), scope: grant.scopes.join(" ") },
    };
  }

  revoke(authorization: string, form: URLSearchParams) {
    if (!this.clientAuthenticated(authorization, form)) return oauthError(401, "invalid_client", "Invalid client");
    const token = form.get("token") ?? "";
    const grant = this.tokens.get(token);
    if (grant && !grant.revoked) {
      grant.revoked = true;
      this.revoked.push(token);
    }
    // RFC 7009: an unknown token is no error.
    return { status: 200, body: {} };
  }

  private live(token: string | undefined, scope: string): Grant | null {
    const grant = token === undefined ? undefined : this.tokens.get(token);
    return grant && !grant.revoked && grant.expiresAt > this.state.now() && grant.scopes.includes(scope) ? grant : null;
  }

  routes(): Route[] {
    return [
      {
        method: "GET",
        template: "/users/@me",
        auth: "none",
        inSpec: true,
        handler: ({ authorization }) => {
          const bearer = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
          if (bearer === undefined) {
            if (!/^Bot \S+/.test(authorization ?? "")) throw errors.unauthorized();
            return json(userJson(this.state.botUser));
          }
          const grant = this.live(bearer, "identify");
          if (!grant) throw errors.unauthorized();
          return json(userJson(this.state.users.get(grant.userId)!));
        },
      },
      {
        method: "PUT",
        template: "/guilds/{guild_id}/members/{user_id}",
        auth: "bot",
        inSpec: true,
        major: "guild_id",
        handler: ({ params, body }) => {
          const guild = this.state.guild(params.guild_id!);
          const userId = params.user_id!;
          const everyone = guild.roles.get(guild.id);
          const permissions = [everyone, ...guild.bot_role_ids.map((id) => guild.roles.get(id))].reduce((bits, r) => bits | BigInt(r?.permissions ?? "0"), 0n);
          if ((permissions & (CREATE_INSTANT_INVITE | Permission.ADMINISTRATOR)) === 0n) throw errors.missingPermissions();
          const grant = this.live((body as { access_token?: string } | undefined)?.access_token, "guilds.join");
          if (!grant || grant.userId !== userId) throw invalidOAuthToken();
          if (guild.members.has(userId)) return noContent();
          if (this.bans.get(guild.id)?.has(userId)) throw banned();
          const guildsOfUser = [...this.state.guilds.values()].filter((g) => g.members.has(userId)).length;
          if (guildsOfUser >= MAX_GUILDS_PER_USER) throw tooManyGuilds();
          const user = this.state.users.get(userId)!;
          // Added by a bot: Discord counts no invite's use, and the gateway tells of it as of any join.
          const member = this.state.joinWithoutInvite(guild.id, { user, join_source_type: JoinSourceType.BOT });
          return json(memberJson(this.state, member), 201);
        },
      },
    ];
  }
}

const invalidOAuthToken = () => new DiscordError(403, { message: "Invalid OAuth2 access token", code: 50025 });
const banned = () => new DiscordError(403, { message: "The user is banned from this guild.", code: 40007 });
const tooManyGuilds = () => new DiscordError(400, { message: "Maximum number of guilds reached (100)", code: 30001 });

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Discord's consent screen, as far as a member sees it: who asks, for what, and two buttons. */
export function consentPage(state: FakeDiscordState, request: AuthorizeRequest, user: UserInput, query: URLSearchParams): string {
  const hidden = [...query.entries(), ["user_id", user.id] as const, ["username", user.username] as const]
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join("");
  const scopes: Record<string, string> = {
    identify: "Access your username, avatar, and banner",
    "guilds.join": "Join servers for you",
  };
  const items = request.scopes.map((s) => `<li>${escape(scopes[s] ?? s)}</li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Discord | Authorize access to your account</title>
<style>body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#313338;color:#f2f3f5;font:16px/1.5 system-ui,sans-serif}
main{background:#2b2d31;border-radius:8px;padding:32px;max-width:400px;width:100%}h1{font-size:1.2rem}li{color:#b5bac1;margin:6px 0}
.buttons{display:flex;gap:8px;margin-top:24px}button{flex:1;padding:12px;border:0;border-radius:4px;font-size:1rem;color:#fff;cursor:pointer}
.cancel{background:#4e5058}.authorize{background:#5865f2}small{color:#949ba4}</style></head>
<body><main><p><small>Signed in as <strong>${escape(user.username)}</strong> (the simulator's newcomer)</small></p>
<h1>${escape(state.botUser.username)} wants to access your Discord account</h1>
<p>This will allow the developer of ${escape(state.botUser.username)} to:</p><ul>${items}</ul>
<form method="post" action="/oauth2/authorize">${hidden}<div class="buttons">
<button class="cancel" name="decision" value="cancel">Cancel</button><button class="authorize" name="decision" value="authorize">Authorize</button></div></form>
<p><small>You will be redirected to ${escape(new URL(request.redirectUri).origin)}</small></p></main></body></html>`;
}
