import { Layout } from "../invitations/page/landing";
import type { MessageKey, Messages } from "../i18n/messages";
import type { JoinOutcome } from "./outcome";

/** The page each outcome shows (a join redirects to Discord and has none). */
type Shown = Exclude<JoinOutcome, { kind: "joined" }>;

interface Text {
  title: MessageKey;
  text: MessageKey;
  link?: { href: string; label: MessageKey };
}

const server = (guildId: string) => ({ href: `https://discord.com/channels/${guildId}`, label: "join_flow.open_server" as const });

function text(outcome: Shown): Text {
  switch (outcome.kind) {
    case "already_member":
      return { title: "join_flow.already_member.title", text: "join_flow.already_member.text", link: server(outcome.guildId) };
    case "declined":
      return {
        title: "join_flow.declined.title",
        text: "join_flow.declined.text",
        ...(outcome.invitationCode ? { link: { href: `/i/${outcome.invitationCode}`, label: "join_flow.back_to_invitation" as const } } : {}),
      };
    case "bad_state":
      return { title: "join_flow.bad_state.title", text: "join_flow.bad_state.text" };
    case "sign_in_failed":
      return { title: "join_flow.sign_in_failed.title", text: "join_flow.sign_in_failed.text" };
    case "invitation_gone":
      // The landing page's own words for a used, withdrawn or expired invitation.
      return { title: `landing.${outcome.status}.title`, text: `landing.${outcome.status}.text` };
    case "missing_permission":
      return { title: "join_flow.missing_permission.title", text: "join_flow.missing_permission.text" };
    case "banned":
      return { title: "join_flow.banned.title", text: "join_flow.banned.text" };
    case "too_many_servers":
      return { title: "join_flow.too_many_servers.title", text: "join_flow.too_many_servers.text" };
    case "unavailable":
      return {
        title: "landing.unavailable.title",
        text: outcome.cause === "rate_limited" ? "join_flow.unavailable.busy" : outcome.cause === "discord" ? "join_flow.unavailable.no_answer" : "join_flow.unavailable.text",
      };
  }
}

export function OutcomePage(props: { outcome: Shown; m: Messages }) {
  const { m } = props;
  const { title, text: body, link } = text(props.outcome);
  return (
    <Layout meta={{ title: m.t(title), description: m.t(body) }} m={m}>
      <h1>{m.t(title)}</h1>
      <p>{m.t(body)}</p>
      {link ? (
        <p>
          <a href={link.href}>{m.t(link.label)}</a>
        </p>
      ) : null}
    </Layout>
  );
}
