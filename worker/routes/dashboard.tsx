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
import type { MessageKey, Messages } from "../i18n/messages";
import { pageMessages } from "../i18n/page";
import { serverLanguage } from "../i18n/server-locale";

const DAY_MS = 86_400_000;

/** The catalog's text is the bot's own (no outside input): it is written into the page as is. */
const refused = (m: Messages, reason: MessageKey) =>
  `<!doctype html><html lang="${m.locale}"><head><meta charset="utf-8"><title>${m.t("dashboard.refused.title")}</title><style>body{font-family:${SYSTEM_FONT_STACK}}</style></head><body>` +
  `<h1>${m.t("dashboard.refused.heading")}</h1><p>${m.t(reason)}</p><p>${m.t("dashboard.refused.help")}</p></body></html>`;

const check = (env: Env, token: string | undefined) => verifyLink(env.DISCORD_BOT_TOKEN, token ?? "", Math.floor(Date.now() / 1000));
function refusal(reason: LinkRefusal, m: Messages): string {
  switch (reason) {
    case "expired":
      return refused(m, "dashboard.refused.expired");
    case "too_far_ahead":
      return refused(m, "dashboard.refused.too_far_ahead");
    case "malformed":
    case "forged":
      return refused(m, "dashboard.refused.forged");
  }
}

export const dashboardRoutes = new Hono<{ Bindings: Env }>();

/** GET /dashboard?t=<signed link>: the guild's figures, rendered on the server. Nothing without a valid link. */
dashboardRoutes.get("/", async (c) => {
  const token = c.req.query("t");
  const checked = await check(c.env, token);
  if (!checked.ok) return c.html(refusal(checked.reason, pageMessages(c)), 401);
  const { db, close } = openDb(c.env);
  try {
    const guildId = checked.claims.guildId;
    // The server's name from Discord through the edge cache, as the invitation page reads it; little patience.
    const rest = DiscordRest.fromEnv(c.env, { maxAttempts: 2, maxWaitMs: 2_000 });
    const m = pageMessages(c, await serverLanguage(db, guildId));
    const [data, face] = await Promise.all([dashboardData(db, c.env, guildId, new Date(), m), guildFace(rest, guildId)]);
    const csvUrl = `/dashboard/export.csv?t=${encodeURIComponent(token!)}`;
    c.header("Cache-Control", "private, no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(`<!doctype html>${<DashboardPage guildId={guildId} guildName={face.name} data={data} csvUrl={csvUrl} expiresAt={checked.claims.expiresAt} m={m} />}`);
  } finally {
    c.executionCtx.waitUntil(close());
  }
});

/** GET /dashboard/export.csv?t=<signed link>&days=<n>: every join of the guild as CSV, streamed from Postgres. */
dashboardRoutes.get("/export.csv", async (c) => {
  const checked = await check(c.env, c.req.query("t"));
  if (!checked.ok) return c.html(refusal(checked.reason, pageMessages(c)), 401);
  const daysText = c.req.query("days");
  const days = daysText === undefined ? null : Number(daysText);
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) return c.text(pageMessages(c).t("dashboard.bad_days"), 400);
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
