import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { SYSTEM_FONT_STACK } from "../../charts/fonts";
import type { MessageKey, Messages } from "../../i18n/messages";

/**
 * The invitation landing page: server-rendered, no JavaScript, readable on a
 * phone. Open Graph tags make link previews say what the page says.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
  font:16px/1.5 ${SYSTEM_FONT_STACK};background:#1e1f22;color:#f2f3f5;padding:16px}
main{width:100%;max-width:420px;background:#2b2d31;border-radius:12px;padding:32px 24px;text-align:center}
img.icon,.icon{width:96px;height:96px;border-radius:28px;margin:0 auto 16px;display:block;background:#5865f2;
  font-size:40px;line-height:96px;color:#fff;font-weight:700}
h1{font-size:1.5rem;margin:0 0 8px}
p{margin:8px 0;color:#b5bac1}
strong{color:#f2f3f5}
button{margin-top:24px;width:100%;padding:14px;border:0;border-radius:8px;background:#5865f2;color:#fff;
  font-size:1.1rem;font-weight:600;cursor:pointer}
button:hover{background:#4752c4}
button.second{margin-top:12px;background:#4e5058}
button.second:hover{background:#6d6f78}
a{color:#00a8fc}
small{display:block;margin-top:16px;color:#949ba4}
`;

export interface PageMeta {
  title: string;
  description: string;
  image?: string | null;
}

export function Layout(props: { meta: PageMeta; m: Messages; children: Child }) {
  return (
    <html lang={props.m.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.meta.title}</title>
        <meta name="description" content={props.meta.description} />
        <meta property="og:type" content="website" />
        <meta property="og:title" content={props.meta.title} />
        <meta property="og:description" content={props.meta.description} />
        {props.meta.image ? <meta property="og:image" content={props.meta.image} /> : null}
        <meta name="twitter:card" content="summary" />
        {/* A constant, emitted as is: escaped, its quotes would become &quot; and break the font list. */}
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export interface InvitationView {
  guildId: string;
  guildName: string | null;
  guildIcon: string | null;
  inviterName: string | null;
  expiresAt: Date | null;
}

export const iconUrl = (view: Pick<InvitationView, "guildId" | "guildIcon">) =>
  view.guildIcon ? `https://cdn.discordapp.com/icons/${view.guildId}/${view.guildIcon}.png?size=256` : null;

const formatDate = (date: Date, m: Messages) =>
  date.toLocaleString(m.locale, { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });

export function invitationMeta(view: InvitationView, m: Messages): PageMeta {
  const server = view.guildName ?? m.t("landing.a_server");
  const inviter = view.inviterName ?? m.t("landing.a_member");
  return {
    title: m.t("landing.title", { inviter, server }),
    description: view.expiresAt ? m.t("landing.description_until", { server, until: formatDate(view.expiresAt, m) }) : m.t("landing.description", { server }),
    image: iconUrl(view),
  };
}

/** `joinAction` posts to "Join with Discord" (the first choice), `action` to the invite link. */
export function InvitationPage(props: { view: InvitationView; action: string; joinAction: string; m: Messages }) {
  const { view, m } = props;
  const icon = iconUrl(view);
  const server = view.guildName ?? m.t("landing.a_server");
  return (
    <Layout meta={invitationMeta(view, m)} m={m}>
      {icon ? <img class="icon" src={icon} alt="" width="96" height="96" /> : <div class="icon">{server.slice(0, 1).toUpperCase()}</div>}
      <h1>{server}</h1>
      <p>
        <strong>{view.inviterName ?? m.t("landing.a_member")}</strong> {m.t("landing.invites_you")}
      </p>
      <p>{view.expiresAt ? m.t("landing.valid_until", { until: formatDate(view.expiresAt, m) }) : m.t("landing.no_expiry")}</p>
      <form method="post" action={props.joinAction}>
        <button type="submit">{m.t("landing.join_with_discord")}</button>
      </form>
      <form method="post" action={props.action}>
        <button type="submit" class="second">{m.t("landing.accept_with_link")}</button>
      </form>
      <small>{m.t("landing.explainer")}</small>
    </Layout>
  );
}

export type MessageKind = "spent" | "revoked" | "expired" | "unknown" | "rate_limited" | "unavailable";

const MESSAGES: Record<MessageKind, { title: MessageKey; text: MessageKey }> = {
  spent: { title: "landing.spent.title", text: "landing.spent.text" },
  revoked: { title: "landing.revoked.title", text: "landing.revoked.text" },
  expired: { title: "landing.expired.title", text: "landing.expired.text" },
  unknown: { title: "landing.unknown.title", text: "landing.unknown.text" },
  rate_limited: { title: "landing.rate_limited.title", text: "landing.rate_limited.text" },
  unavailable: { title: "landing.unavailable.title", text: "landing.unavailable.text" },
};

export function MessagePage(props: { kind: MessageKind; m: Messages }) {
  const { m } = props;
  const title = m.t(MESSAGES[props.kind].title);
  const text = m.t(MESSAGES[props.kind].text);
  return (
    <Layout meta={{ title, description: text }} m={m}>
      <h1>{title}</h1>
      <p>{text}</p>
    </Layout>
  );
}
