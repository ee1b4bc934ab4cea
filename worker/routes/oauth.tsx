import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Invitation } from "../../schema";
import { openDb, type Db } from "../db";
import { authorizeRedirect, completeJoin, declined } from "../join-flow/flow";
import { outcomeStatus, readCallback, type JoinOutcome } from "../join-flow/outcome";
import { OutcomePage } from "../join-flow/page";
import { pageMessages } from "../i18n/page";
import { STATE_COOKIE, STATE_TTL_S } from "../join-flow/state";
import { logError } from "../log";

type Ctx = Context<{ Bindings: Env }>;

const COOKIE_PATH = "/oauth";
const secureCookie = (c: Ctx) => c.env.PUBLIC_URL.startsWith("https:");

/**
 * POST /i/:code/discord (the "Join with Discord" button): 303 to Discord's
 * consent page, the state's nonce in a cookie only the callback reads. Lax: the
 * browser sends it back on Discord's top-level redirect to the callback.
 */
export async function joinWithDiscord(c: Ctx, _db: Db, invitation: Invitation, now: Date): Promise<Response> {
  const { location, nonce } = await authorizeRedirect(c.env, invitation, now);
  setCookie(c, STATE_COOKIE, nonce, { path: COOKIE_PATH, httpOnly: true, sameSite: "Lax", secure: secureCookie(c), maxAge: STATE_TTL_S });
  return c.redirect(location, 303);
}

function answer(c: Ctx, outcome: JoinOutcome) {
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Frame-Options", "DENY");
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  if (outcome.kind === "joined") return c.redirect(`https://discord.com/channels/${outcome.guildId}`, 303);
  if (outcome.kind === "unavailable") c.header("Retry-After", "60");
  // Who signed in is not known to the bot yet: the browser's language.
  return c.html(<OutcomePage outcome={outcome} m={pageMessages(c)} />, outcomeStatus(outcome) as ContentfulStatusCode);
}

/** GET /oauth/callback: Discord sends the member back here, having consented or not. */
export const oauthRoutes = new Hono<{ Bindings: Env }>().get("/callback", async (c) => {
  const request = readCallback({ code: c.req.query("code"), state: c.req.query("state"), error: c.req.query("error") });
  if (request.kind === "malformed") return answer(c, { kind: "bad_state", reason: "malformed" });
  const cookieNonce = getCookie(c, STATE_COOKIE);
  // The state is single-use: its cookie goes with the answer, whatever it is.
  deleteCookie(c, STATE_COOKIE, { path: COOKIE_PATH, secure: secureCookie(c) });
  const now = new Date();
  const { db, close } = openDb(c.env, { maxConnections: 1 });
  try {
    const outcome =
      request.kind === "declined"
        ? await declined(c.env, db, request.state, cookieNonce, now)
        : await completeJoin(c.env, db, { code: request.code, state: request.state, cookieNonce }, now);
    return answer(c, outcome);
  } catch (error) {
    // The database or the guild's object failed: the member tries again (the token, if any, is revoked).
    logError("Join with Discord failed", error);
    return answer(c, { kind: "unavailable", cause: "database" });
  } finally {
    c.executionCtx.waitUntil(close());
  }
});
