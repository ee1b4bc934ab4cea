import { Layout } from "../invitations/page/landing";
import type { JoinOutcome } from "./outcome";

/** The page each outcome shows (a join redirects to Discord and has none). */
type Shown = Exclude<JoinOutcome, { kind: "joined" }>;

interface Text {
  title: string;
  text: string;
  link?: { href: string; label: string };
}

const server = (guildId: string) => ({ href: `https://discord.com/channels/${guildId}`, label: "Open the server" });
const TRY_AGAIN = "Please try again in a minute: your invitation is still yours.";

function text(outcome: Shown): Text {
  switch (outcome.kind) {
    case "already_member":
      return { title: "You are already a member", text: "Your invitation was not used: it stays with the person who sent it.", link: server(outcome.guildId) };
    case "declined":
      return {
        title: "You did not sign in",
        text: "Nothing happened and your invitation is still valid. You can go back and join with Discord, or accept with an invite link.",
        ...(outcome.invitationCode ? { link: { href: `/i/${outcome.invitationCode}`, label: "Back to the invitation" } } : {}),
      };
    case "bad_state":
      return { title: "This sign-in link is not valid", text: "It expired, was already used, or was opened in another browser. Open your invitation link again." };
    case "sign_in_failed":
      return { title: "Discord did not confirm the sign-in", text: "The sign-in expired or was already used. Open your invitation link again." };
    case "invitation_gone":
      return {
        spent: { title: "This invitation has been used", text: "Someone already joined with it. Ask the person who sent it for a new one." },
        revoked: { title: "This invitation was withdrawn", text: "The server's admins revoked it, or the member who sent it has left. Ask a member for a new one." },
        expired: { title: "This invitation has expired", text: "Invitations are valid for a limited time. Ask the person who sent it for a new one." },
      }[outcome.status];
    case "missing_permission":
      return {
        title: "The server cannot add you right now",
        text: "Its bot is missing a permission Discord requires. The admins have been told; your invitation is still valid, or accept with an invite link instead.",
      };
    case "banned":
      return { title: "You are banned from this server", text: "Discord refused to add you. Your invitation was not used." };
    case "too_many_servers":
      return { title: "You are in too many servers", text: "Discord allows 100 servers per account (200 with Nitro). Leave one, then open your invitation again." };
    case "unavailable":
      return {
        title: "Something went wrong",
        text: outcome.cause === "rate_limited" ? `Discord is busy. ${TRY_AGAIN}` : outcome.cause === "discord" ? `Discord did not answer. ${TRY_AGAIN}` : TRY_AGAIN,
      };
  }
}

export function OutcomePage(props: { outcome: Shown }) {
  const { title, text: body, link } = text(props.outcome);
  return (
    <Layout meta={{ title, description: body }}>
      <h1>{title}</h1>
      <p>{body}</p>
      {link ? (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ) : null}
    </Layout>
  );
}
