import { Hono, type Context } from "hono";
import type { Invitation } from "../../schema";
import { openDb, type Db } from "../db";
import { DiscordRest } from "../discord/rest";
import { logError } from "../log";
import { discordInviteFor, guildFace, inviterName, lookUpInvitation } from "../invitations/landing";
import { InvitationPage, MessagePage, type MessageKind } from "../invitations/page/landing";
import { joinWithDiscord } from "./oauth";
import type { Locale } from "../i18n/locales";
import { pageMessages } from "../i18n/page";
import { serverLanguage } from "../i18n/server-locale";

type Ctx = Context<{ Bindings: Env }>;

const STATUS: Record<MessageKind, 404 | 410 | 429 | 503> = {
  unknown: 404,
  spent: 410,
  revoked: 410,
  expired: 410,
  rate_limited: 429,
  unavailable: 503,
};

/** The code is a secret in the URL: no caching, no referrer, no framing. */
function secure(c: Ctx) {
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Frame-Options", "DENY");
  // form-action holds for the redirects after a form too: Discord's invite links and its consent page.
  const consent = new URL(c.env.DISCORD_OAUTH_AUTHORIZE_URL).origin;
  c.header("Content-Security-Policy", `default-src 'none'; img-src https://cdn.discordapp.com; style-src 'unsafe-inline'; form-action 'self' https://discord.gg ${consent}`);
}

/** A page that is not the invitation: in the reader's language, else the server's when the invitation is known. */
const message = (c: Ctx, kind: MessageKind, server?: Locale) => c.html(<MessagePage kind={kind} m={pageMessages(c, server)} />, STATUS[kind]);

/**
 * Every GET and POST counts against its client address, valid code or not,
 * and one over the limit is refused before Postgres or Discord is asked: the
 * binding counts and answers in one step (wrangler.toml, LANDING_LIMITER).
 */
async function withinLimit(c: Ctx): Promise<boolean> {
  const { success } = await c.env.LANDING_LIMITER.limit({ key: c.req.header("CF-Connecting-IP") ?? "unknown" });
  return success;
}

/** GET and POST alike: the page for a code that is not a valid invitation, or `handle` for one that is. */
function invitationRoute(handle: (c: Ctx, db: Db, invitation: Invitation, now: Date) => Promise<Response>) {
  return async (c: Ctx) => {
    secure(c);
    if (!(await withinLimit(c))) return message(c, "rate_limited");
    const now = new Date();
    // One connection: a request's queries run one after another, so a flood holds at most one each.
    const { db, close } = openDb(c.env, { maxConnections: 1 });
    try {
      const lookup = await lookUpInvitation(db, c.req.param("code") ?? "", now);
      if (lookup.kind === "unknown") return message(c, "unknown");
      if (lookup.kind === "gone") return message(c, lookup.status, await serverLanguage(db, lookup.invitation.guildId));
      return await handle(c, db, lookup.invitation, now);
    } catch (error) {
      // A person is reading this: a page that says so, not the API's JSON error.
      logError("landing page failed", error, { method: c.req.method });
      return message(c, "unavailable");
    } finally {
      c.executionCtx.waitUntil(close());
    }
  };
}

/**
 * GET /i/:code shows the invitation and never creates a Discord invite (chat
 * apps fetch links to preview them); POST /i/:code (the Accept button) does.
 */
export const landingRoutes = new Hono<{ Bindings: Env }>()
  .get(
    "/:code",
    invitationRoute(async (c, db, invitation) => {
      const rest = DiscordRest.fromEnv(c.env, { maxAttempts: 2, maxWaitMs: 2_000 });
      const [face, name, server] = await Promise.all([
        guildFace(rest, invitation.guildId),
        inviterName(db, rest, invitation, (write) => c.executionCtx.waitUntil(write)),
        serverLanguage(db, invitation.guildId),
      ]);
      const view = { guildId: invitation.guildId, guildName: face.name, guildIcon: face.icon, inviterName: name, expiresAt: invitation.expiresAt };
      return c.html(<InvitationPage view={view} action={`/i/${invitation.code}`} joinAction={`/i/${invitation.code}/discord`} m={pageMessages(c, server)} />);
    }),
  )
  .post(
    "/:code",
    invitationRoute(async (c, db, invitation, now) => {
      const accepted = await discordInviteFor(db, DiscordRest.fromEnv(c.env), invitation, now);
      if (!accepted.ok) {
        logError("could not make an invitation's Discord invite", new Error(accepted.reason), { guild: invitation.guildId, invitation: invitation.id });
        return message(c, "unavailable");
      }
      // Before the redirect: the join through this code must find the object knowing it.
      // Should the object not answer, the writer still finds the invitation by its Discord code.
      await c.env.GUILD_INVITES.get(c.env.GUILD_INVITES.idFromName(invitation.guildId))
        .learnInvitation(accepted.discordCode, String(invitation.id))
        .catch((error: unknown) => logError("the guild's object did not learn an invitation code", error, { guild: invitation.guildId }));
      return c.redirect(`https://discord.gg/${accepted.discordCode}`, 303);
    }),
  )
  // "Join with Discord" (worker/join-flow): to Discord's consent page.
  .post("/:code/discord", invitationRoute(joinWithDiscord));
