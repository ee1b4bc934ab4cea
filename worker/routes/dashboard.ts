import { Hono } from "hono";
import { verifyLink } from "../dashboard/token";
import { openDb } from "../db";
import { exportCsv } from "../export/stream";
import { countScope } from "../inviters/scope";
import { logError } from "../log";

const DAY_MS = 86_400_000;

const refused = (reason: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not valid</title></head><body>` +
  `<h1>This link is not valid</h1><p>${reason}</p><p>Run <code>/invite dashboard</code> (or <code>/invite export</code>) in your server for a new link; each is valid for one hour.</p></body></html>`;

/** GET /dashboard/export.csv?t=<signed link>&days=<n>: every join of the guild as CSV, streamed from Postgres. */
export const dashboardRoutes = new Hono<{ Bindings: Env }>().get("/export.csv", async (c) => {
  const checked = await verifyLink(c.env.DISCORD_BOT_TOKEN, c.req.query("t") ?? "", Math.floor(Date.now() / 1000));
  if (!checked.ok) return c.html(refused(checked.reason === "expired" ? "It has expired." : "It was not made by this bot."), 401);
  const daysText = c.req.query("days");
  const days = daysText === undefined ? null : Number(daysText);
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) return c.text("days must be a whole number from 1 to 3650", 400);
  const { db, close } = openDb(c.env);
  const scope = await countScope(db, c.env, checked.claims.guildId, days === null ? null : new Date(Date.now() - days * DAY_MS));
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
