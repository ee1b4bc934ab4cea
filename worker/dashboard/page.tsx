import { raw } from "hono/html";
import { SYSTEM_FONT_STACK } from "../charts/fonts";
import { stackedBarSvg } from "../charts/svg";
import { totalInvites } from "../inviters/counts";
import { DASHBOARD_DAYS, type DashboardData } from "./data";

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
}: {
  guildId: string;
  guildName: string | null;
  data: DashboardData;
  csvUrl: string;
  expiresAt: number;
}) {
  const server = guildName ?? `Server ${guildId}`;
  const chart = stackedBarSvg({ title: `Joins per day by source (last ${DASHBOARD_DAYS} days)`, days: data.days, series: data.series, ...CHART_SIZE, fontFamily: SYSTEM_FONT_STACK });
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="noindex" />
        <title>{`${server} · Invite dashboard`}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <h1>Where members come from</h1>
        <p class="muted">
          {server}. This link stops working at {new Date(expiresAt * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC.
        </p>
        <figure id="joins-chart">{raw(chart)}</figure>
        <h2>Sources (last {DASHBOARD_DAYS} days)</h2>
        <table id="sources">
          <thead>
            <tr><th>Source</th><th>Joins</th><th>Named</th><th>Still here</th><th>Retention (named)</th></tr>
          </thead>
          <tbody>
            {data.sources.map((s) => (
              <tr>
                <td>{s.name ?? "Unattributed"}</td>
                <td class="n">{s.joins}</td>
                <td class="n">{s.named}</td>
                <td class="n">{s.stayed}</td>
                <td class="n">{percent(s.stayed, s.named)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Top inviters ({data.leaders.label})</h2>
        <table id="inviters">
          <thead>
            <tr><th>#</th><th>Member</th><th>Invites</th><th>Regular</th><th>Left</th><th>Fake</th><th>Bonus</th></tr>
          </thead>
          <tbody>
            {data.leaders.rows.map((r, i) => (
              <tr>
                <td class="n">{i + 1}</td>
                <td>
                  <img class="avatar" src={data.leaders.faces.get(r.userId)?.avatarUrl} width="24" height="24" alt="" />
                  {data.leaders.faces.get(r.userId)?.name ?? "Unknown member"} <span class="muted">{r.userId}</span>
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
            <h2>Invitations</h2>
            <table>
              <tbody>
                <tr><td>Minted</td><td class="n">{data.funnel.minted}</td><td /></tr>
                <tr><td>Delivered</td><td class="n">{data.funnel.notified}</td><td class="n">{percent(data.funnel.notified, data.funnel.minted)}</td></tr>
                <tr><td>Spent (a friend joined)</td><td class="n">{data.funnel.spent}</td><td class="n">{percent(data.funnel.spent, data.funnel.minted)}</td></tr>
              </tbody>
            </table>
          </section>
        )}
        <p>
          <a id="csv" href={csvUrl}>Download every join as CSV</a>
        </p>
      </body>
    </html>
  );
}
