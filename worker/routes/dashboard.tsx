import { Hono } from "hono";
import { dashboardData } from "../dashboard/data";
import { DashboardPage } from "../dashboard/page";
import { verifyLink, type LinkRefusal } from "../dashboard/token";
import { openDb } from "../db";
import { DiscordRest } from "../discord/rest";
import { exportCsv, openExportDb } from "../export/stream";
import { SYSTEM_FONT_STACK } from "../charts/fonts";
import { guildFace } from "../invitations/landing";
import { countScope } from "../inviters/scope";
import { logError } from "../log";

const DAY_MS = 86_400_000;

const refused = (reason: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not valid</title><style>body{font-family:${SYSTEM_FONT_STACK}}</style></head><body>` +
  `<h1>This link is not valid</h1><p>${reason}</p><p>Run <code>/invite dashboard</code> (or <code>/invite export</code>) in your server for a new link; each is valid for one hour.</p></body></html>`;

const check = (env: Env, token: string | undefined) => verifyLink(env.DISCORD_BOT_TOKEN, token ?? "", Math.floor(Date.now() / 1000));
function refusal(reason: LinkRefusal): string {
  switch (reason) {
    case "expired":
      return refused("It has expired.");
    case "too_far_ahead":
      return refused("Its expiry is further ahead than any link this bot makes.");
    case "malformed":
    case "forged":
      return refused("It was not made by this bot.");
  }
}

export const dashboardRoutes = new Hono<{ Bindings: Env }>();

/** GET /dashboard?t=<signed link>: the guild's figures, rendered on the server. Nothing without a valid link. */
dashboardRoutes.get("/", async (c) => {
  const token = c.req.query("t");
  const checked = await check(c.env, token);
  if (!checked.ok) return c.html(refusal(checked.reason), 401);
  const { db, close } = openDb(c.env);
  try {
    const guildId = checked.claims.guildId;
    // The server's name from Discord through the edge cache, as the invitation page reads it; little patience.
    const rest = DiscordRest.fromEnv(c.env, { maxAttempts: 2, maxWaitMs: 2_000 });
    const [data, face] = await Promise.all([dashboardData(db, c.env, guildId, new Date()), guildFace(rest, guildId)]);
    const csvUrl = `/dashboard/export.csv?t=${encodeURIComponent(token!)}`;
    c.header("Cache-Control", "private, no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(`<!doctype html>${<DashboardPage guildId={guildId} guildName={face.name} data={data} csvUrl={csvUrl} expiresAt={checked.claims.expiresAt} />}`);
  } finally {
    c.executionCtx.waitUntil(close());
  }
});

/** GET /dashboard/export.csv?t=<signed link>&days=<n>: every join of the guild as CSV, streamed from Postgres. */
dashboardRoutes.get("/export.csv", async (c) => {
  const checked = await check(c.env, c.req.query("t"));
  if (!checked.ok) return c.html(refusal(checked.reason), 401);
  const daysText = c.req.query("days");
  const days = daysText === undefined ? null : Number(daysText);
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) return c.text("days must be a whole number from 1 to 3650", 400);
  const { db, close } = openExportDb(c.env);
  const scope = await countScope(db, c.env, checked.claims.guildId, { since: days === null ? null : new Date(Date.now() - days * DAY_MS) }, new Date());
  const { stream, done } = exportCsv(db, scope);
  c.executionCtx.waitUntil(
    done.catch((error: unknown) => logError("export failed midway", error, { guild: checked.claims.guildId })).finally(close),
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="joins-${checked.claims.guildId}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
