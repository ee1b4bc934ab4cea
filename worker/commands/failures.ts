import type { DiscordFailure } from "../discord/rest";
import { escapeMarkdown, inlineCode } from "../format/text";
import type { SourceNameProblem } from "../sources/names";
import { PLACEHOLDERS, type TemplateProblem } from "../join-log/template";
import type { RoleProblem } from "../roles/grant-policy";

/** Everything a command can expectedly fail with. Each has one message, below. */
export type Failure =
  | { kind: "not_in_guild" }
  | { kind: "missing_permission" }
  | { kind: "unknown_command"; name: string }
  | { kind: "malformed_interaction" }
  | { kind: "duplicate_interaction" }
  | { kind: "database_unavailable" }
  | { kind: "invalid_option"; option: string; expected: string }
  | { kind: "invalid_source_name"; problem: SourceNameProblem }
  | { kind: "unknown_source"; name: string }
  | { kind: "source_already_retired"; name: string }
  | { kind: "invalid_invite_code"; input: string }
  | { kind: "unknown_invite"; code: string }
  | { kind: "invite_of_other_guild"; code: string }
  | { kind: "unknown_channel" }
  | { kind: "cannot_post_in_channel"; channelId: string }
  | { kind: "invite_limit_reached" }
  | { kind: "no_unresolved_join"; userId: string }
  | { kind: "retire_incomplete"; name: string; deleted: number; remaining: number; code: string; failure: DiscordFailure }
  | { kind: "unknown_component" }
  | { kind: "role_unusable"; roleId: string; problem: RoleProblem }
  /** The role marks another source (its name), or invitations (null). */
  | { kind: "mark_taken"; roleId: string; holder: string | null }
  | { kind: "rewards_removed" }
  | { kind: "invalid_template"; option: string; problems: TemplateProblem[] }
  | { kind: "unknown_season"; number: number }
  | { kind: "discord"; failure: DiscordFailure; action: string };

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };
export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(failure: Failure): Outcome<T> => ({ ok: false, failure });

const SOURCE_PROBLEMS: Record<SourceNameProblem, string> = {
  empty: "A source needs a name.",
  too_long: "A source name can be at most 64 characters.",
  control_characters: "A source name cannot contain control characters or text-direction overrides.",
  broken_text: "That source name is not valid text (it has a broken character). Please type it again.",
};

/** One exhaustive switch from failure to the message the admin reads. Outside text is escaped: nothing here can ping. */
export function failureMessage(failure: Failure): string {
  switch (failure.kind) {
    case "not_in_guild":
      return "This command only works inside a server.";
    case "missing_permission":
      return "You need the **Manage Server** permission to use this command.";
    case "unknown_command":
      return `I don't know the command ${inlineCode(failure.name.slice(0, 64))}. The bot's commands may need re-registering.`;
    case "malformed_interaction":
      return "I couldn't read that command: Discord sent something I don't understand. Please try again.";
    case "duplicate_interaction":
      return "I already received this exact command and ran it once; I won't run it again.";
    case "database_unavailable":
      return "My database isn't answering right now, so I couldn't do that. Please try again in a minute.";
    case "invalid_option":
      return `The option \`${failure.option}\` must be ${failure.expected}.`;
    case "invalid_source_name":
      return SOURCE_PROBLEMS[failure.problem];
    case "unknown_source":
      return `There is no source named “${escapeMarkdown(failure.name)}”. Create it with \`/invite create\` or \`/invite assign\`.`;
    case "source_already_retired":
      return `“${escapeMarkdown(failure.name)}” is already retired.`;
    case "retire_incomplete":
      return (
        `Retired **${escapeMarkdown(failure.name)}**, but deleted only ${failure.deleted} of its invites: ` +
        `${discordFailureMessage(failure.failure, `delete the invite ${inlineCode(failure.code)}`)} ` +
        `${failure.remaining} still work; run \`/invite retire\` again to delete them.`
      );
    case "invalid_invite_code":
      return `“${escapeMarkdown(failure.input)}” is not an invite code or link.`;
    case "unknown_invite":
      return `Discord has no invite \`${failure.code}\` (it may have expired or been deleted).`;
    case "invite_of_other_guild":
      return `The invite \`${failure.code}\` belongs to another server.`;
    case "unknown_channel":
      return "I can't find that channel in this server, or I'm not allowed to see it (my role needs **View Channel** there).";
    case "cannot_post_in_channel":
      return `I can't post in <#${failure.channelId}>. Give my role **View Channel**, **Send Messages**, **Embed Links** and **Attach Files** there, then run this again; nothing was saved.`;
    case "invite_limit_reached":
      return "This server has reached Discord's limit of 1000 invites. Retire or delete some first.";
    case "no_unresolved_join":
      return `<@${failure.userId}> has no unresolved join to attribute.`;
    case "unknown_component":
      return "That button is not one of mine (or is too old). Run the command again.";
    case "role_unusable":
      return roleProblemMessage(failure.roleId, failure.problem);
    case "mark_taken":
      return (
        `<@&${failure.roleId}> already marks ${failure.holder === null ? "invitations" : `**${escapeMarkdown(failure.holder)}**`}: a role can mark only one source, ` +
        "or joins through the two couldn't be told apart. Pick another role, or leave `role:` out and I'll make one for this source."
      );
    case "rewards_removed":
      return (
        "`/invite rewards` has been removed: Discord's Platform Manipulation Policy prohibits invite rewards (roles for inviting), " +
        "so I no longer give or take back roles for invite counts. Members keep the roles they already have. " +
        "Counts, leaderboards and a role per source still work. Re-registering the bot's commands drops it from the menu."
      );
    case "invalid_template":
      return `The \`${failure.option}\` was not saved: ${failure.problems.map(templateProblemMessage).join(" ")}`;
    case "unknown_season":
      return `There is no season ${failure.number}. \`/invite season list\` shows this server's seasons.`;
    case "discord":
      return discordFailureMessage(failure.failure, failure.action);
  }
}

/** Why the bot cannot hand out a role, and what the admin can do about it. */
export function roleProblemMessage(roleId: string, problem: RoleProblem): string {
  switch (problem.kind) {
    case "unknown_role":
      return `I can't find the role <@&${roleId}> in this server.`;
    case "everyone_role":
      return "@\u200beveryone can't mark a source: every member has it.";
    case "managed_role":
      return `**${escapeMarkdown(problem.name)}** is managed by a bot or an integration; nobody can assign it. Pick another role.`;
    case "missing_manage_roles":
      return "I need the **Manage Roles** permission to hand out roles. Give it to my role in Server Settings → Roles.";
    case "role_not_below_bot":
      return (
        `I can only assign roles below my own highest role (**${escapeMarkdown(problem.botTop)}**), and **${escapeMarkdown(problem.name)}** is not below it. ` +
        `Drag my role above it in Server Settings → Roles.`
      );
    case "invoker_missing_manage_roles":
      return "You need the **Manage Roles** permission to have me hand out a role: I give roles only to people who could give them themselves.";
    case "role_not_below_invoker":
      return `You can only hand out roles below your own highest role (**${escapeMarkdown(problem.invokerTop)}**), and **${escapeMarkdown(problem.name)}** is not below it.`;
    case "role_permissions_invoker_lacks":
      return `**${escapeMarkdown(problem.name)}** carries permissions you don't have${problem.administrator ? " (Administrator among them)" : ""}, so you can't hand it out through me.`;
  }
}

function templateProblemMessage(problem: TemplateProblem): string {
  switch (problem.kind) {
    case "unknown_placeholder":
      return `${inlineCode(`{${problem.name}}`)} is not a placeholder (use ${PLACEHOLDERS.map((p) => `\`{${p}}\``).join(", ")}).`;
    case "empty":
      return "it is empty.";
    case "too_long":
      return `it is longer than ${problem.max} characters.`;
  }
}

function discordFailureMessage(failure: DiscordFailure, action: string): string {
  if (failure.kind === "discord_unavailable") {
    switch (failure.reason) {
      case "rate_limited":
        return `Discord is rate limiting me; I couldn't ${action}. Try again in a minute.`;
      case "edge_blocked":
        return `Discord's network is refusing this bot for a few minutes (Cloudflare error 1015); I couldn't ${action}. Try again in a few minutes.`;
      case "server_error":
      case "network":
        return `Discord didn't answer; I couldn't ${action}. Try again in a minute.`;
    }
  }
  if (failure.code === 50013 || failure.code === 50001) {
    return `I'm missing a permission to ${action}. Give my role **Manage Server** and **Create Invite** in that channel.`;
  }
  return `Discord refused to ${action}: ${escapeMarkdown(failure.message)}`;
}
