import { raw } from "hono/html";
import { SYSTEM_FONT_STACK } from "../charts/fonts";
import { stackedBarSvg } from "../charts/svg";
import { totalInvites } from "../inviters/counts";
import { DASHBOARD_DAYS, type DashboardData } from "./data";
import type { Messages } from "../i18n/messages";
import { windowLabel } from "../inviters/season-window";

/** Room for 30 days of bars and a legend line. */
const CHART_SIZE = { width: 800, height: 360 };

const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`);

const STYLE = `
body{font-family:${SYSTEM_FONT_STACK};margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#666}
img.avatar{border-radius:50%;vertical-align:middle;margin-right:.4rem}`;

/** The dashboard, rendered on the server: no script, the chart is inline SVG. */
/** `guildName` is null when Discord did not say: the page names the server by its id then. */
export function DashboardPage({
  guildId,
  guildName,
  data,
  csvUrl,
  expiresAt,
  m,
}: {
  guildId: string;
  guildName: string | null;
  data: DashboardData;
  csvUrl: string;
  expiresAt: number;
  m: Messages;
}) {
  const server = guildName ?? m.t("dashboard.server", { guildId });
  const chart = stackedBarSvg({ title: m.t("dashboard.chart.title", { days: DASHBOARD_DAYS }), days: data.days, series: data.series, ...CHART_SIZE, fontFamily: SYSTEM_FONT_STACK });
  return (
    <html lang={m.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="noindex" />
        <title>{m.t("dashboard.page_title", { server })}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <h1>{m.t("dashboard.heading")}</h1>
        <p class="muted">{m.t("dashboard.link_expiry", { server, at: new Date(expiresAt * 1000).toISOString().replace("T", " ").slice(0, 16) })}</p>
        <figure id="joins-chart">{raw(chart)}</figure>
        <h2>{m.t("dashboard.sources", { days: DASHBOARD_DAYS })}</h2>
        <table id="sources">
          <thead>
            <tr><th>{m.t("dashboard.col.source")}</th><th>{m.t("dashboard.col.joins")}</th><th>{m.t("dashboard.col.named")}</th><th>{m.t("dashboard.col.still_here")}</th><th>{m.t("dashboard.col.retention")}</th></tr>
          </thead>
          <tbody>
            {data.sources.map((s) => (
              <tr>
                <td>{s.name ?? m.t("dashboard.unattributed")}</td>
                <td class="n">{s.joins}</td>
                <td class="n">{s.named}</td>
                <td class="n">{s.stayed}</td>
                <td class="n">{percent(s.stayed, s.named)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{m.t("dashboard.top_inviters", { window: windowLabel(data.leaders.window, m) })}</h2>
        <table id="inviters">
          <thead>
            <tr><th>#</th><th>{m.t("dashboard.col.member")}</th><th>{m.t("dashboard.col.invites")}</th><th>{m.t("dashboard.col.regular")}</th><th>{m.t("dashboard.col.left")}</th><th>{m.t("dashboard.col.fake")}</th><th>{m.t("dashboard.col.bonus")}</th></tr>
          </thead>
          <tbody>
            {data.leaders.rows.map((r, i) => (
              <tr>
                <td class="n">{i + 1}</td>
                <td>
                  <img class="avatar" src={data.leaders.faces.get(r.userId)?.avatarUrl} width="24" height="24" alt="" />
                  {data.leaders.faces.get(r.userId)?.name ?? m.t("dashboard.unknown_member")} <span class="muted">{r.userId}</span>
                </td>
                <td class="n">{totalInvites(r)}</td>
                <td class="n">{r.regular}</td>
                <td class="n">{r.left}</td>
                <td class="n">{r.fake}</td>
                <td class="n">{r.bonus}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.funnel && (
          <section id="funnel">
            <h2>{m.t("dashboard.invitations")}</h2>
            <table>
              <tbody>
                <tr><td>{m.t("dashboard.funnel.minted")}</td><td class="n">{data.funnel.minted}</td><td /></tr>
                <tr><td>{m.t("dashboard.funnel.delivered")}</td><td class="n">{data.funnel.notified}</td><td class="n">{percent(data.funnel.notified, data.funnel.minted)}</td></tr>
                <tr><td>{m.t("dashboard.funnel.spent")}</td><td class="n">{data.funnel.spent}</td><td class="n">{percent(data.funnel.spent, data.funnel.minted)}</td></tr>
              </tbody>
            </table>
          </section>
        )}
        <p>
          <a id="csv" href={csvUrl}>{m.t("dashboard.csv")}</a>
        </p>
      </body>
    </html>
  );
}
