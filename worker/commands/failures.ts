import type { DiscordFailure } from "../discord/rest";
import { escapeMarkdown, inlineCode } from "../format/text";
import type { SourceNameProblem } from "../sources/names";
import { PLACEHOLDERS, type TemplateProblem } from "../join-log/template";
import type { RoleProblem } from "../roles/grant-policy";
import type { MessageKey, MessageValues, Messages } from "../i18n/messages";

/** Everything a command can expectedly fail with. Each has one message, below. */
export type Failure =
  | { kind: "not_in_guild" }
  | { kind: "missing_permission" }
  | { kind: "unknown_command"; name: string }
  | { kind: "malformed_interaction" }
  | { kind: "duplicate_interaction" }
  | { kind: "database_unavailable" }
  | { kind: "invalid_option"; option: string; expected: Phrase }
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
  | { kind: "discord"; failure: DiscordFailure; action: Phrase };

/** A catalog message with its values: what an option must be ("a whole number from 1 to 30"), what the bot tried to do. */
export interface Phrase {
  key: MessageKey;
  values?: MessageValues;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };
export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(failure: Failure): Outcome<T> => ({ ok: false, failure });

const SOURCE_PROBLEMS: Record<SourceNameProblem, MessageKey> = {
  empty: "failure.source_name.empty",
  too_long: "failure.source_name.too_long",
  control_characters: "failure.source_name.control_characters",
  broken_text: "failure.source_name.broken_text",
};

/**
 * One exhaustive switch from failure to the message the person who ran the command reads, in
 * their language. Outside text is escaped: nothing here can ping.
 */
export function failureMessage(failure: Failure, m: Messages): string {
  switch (failure.kind) {
    case "not_in_guild":
      return m.t("failure.not_in_guild");
    case "missing_permission":
      return m.t("failure.missing_permission");
    case "unknown_command":
      return m.t("failure.unknown_command", { command: inlineCode(failure.name.slice(0, 64)) });
    case "malformed_interaction":
      return m.t("failure.malformed_interaction");
    case "duplicate_interaction":
      return m.t("failure.duplicate_interaction");
    case "database_unavailable":
      return m.t("failure.database_unavailable");
    case "invalid_option":
      return m.t("failure.invalid_option", { option: failure.option, expected: m.t(failure.expected.key, failure.expected.values) });
    case "invalid_source_name":
      return m.t(SOURCE_PROBLEMS[failure.problem]);
    case "unknown_source":
      return m.t("failure.unknown_source", { name: escapeMarkdown(failure.name) });
    case "source_already_retired":
      return m.t("failure.source_already_retired", { name: escapeMarkdown(failure.name) });
    case "retire_incomplete":
      return m.t("failure.retire_incomplete", {
        name: escapeMarkdown(failure.name),
        deleted: failure.deleted,
        remaining: failure.remaining,
        why: discordFailureMessage(failure.failure, m.t("action.delete_invite", { code: inlineCode(failure.code) }), m),
      });
    case "invalid_invite_code":
      return m.t("failure.invalid_invite_code", { input: escapeMarkdown(failure.input) });
    case "unknown_invite":
      return m.t("failure.unknown_invite", { code: failure.code });
    case "invite_of_other_guild":
      return m.t("failure.invite_of_other_guild", { code: failure.code });
    case "unknown_channel":
      return m.t("failure.unknown_channel");
    case "cannot_post_in_channel":
      return m.t("failure.cannot_post_in_channel", { channelId: failure.channelId });
    case "invite_limit_reached":
      return m.t("failure.invite_limit_reached");
    case "no_unresolved_join":
      return m.t("failure.no_unresolved_join", { userId: failure.userId });
    case "unknown_component":
      return m.t("failure.unknown_component");
    case "role_unusable":
      return roleProblemMessage(failure.roleId, failure.problem, m);
    case "mark_taken":
      return failure.holder === null
        ? m.t("failure.mark_taken.invitations", { roleId: failure.roleId })
        : m.t("failure.mark_taken.source", { roleId: failure.roleId, source: escapeMarkdown(failure.holder) });
    case "rewards_removed":
      return m.t("failure.rewards_removed");
    case "invalid_template":
      return m.t("failure.invalid_template", { option: failure.option, problems: failure.problems.map((p) => templateProblemMessage(p, m)).join(" ") });
    case "unknown_season":
      return m.t("failure.unknown_season", { number: failure.number });
    case "discord":
      return discordFailureMessage(failure.failure, m.t(failure.action.key, failure.action.values), m);
  }
}

/** Why the bot cannot hand out a role, and what the admin can do about it. */
export function roleProblemMessage(roleId: string, problem: RoleProblem, m: Messages): string {
  switch (problem.kind) {
    case "unknown_role":
      return m.t("role_problem.unknown_role", { roleId });
    case "everyone_role":
      return m.t("role_problem.everyone_role");
    case "managed_role":
      return m.t("role_problem.managed_role", { role: escapeMarkdown(problem.name) });
    case "missing_manage_roles":
      return m.t("role_problem.missing_manage_roles");
    case "role_not_below_bot":
      return m.t("role_problem.role_not_below_bot", { botTop: escapeMarkdown(problem.botTop), role: escapeMarkdown(problem.name) });
    case "invoker_missing_manage_roles":
      return m.t("role_problem.invoker_missing_manage_roles");
    case "role_not_below_invoker":
      return m.t("role_problem.role_not_below_invoker", { invokerTop: escapeMarkdown(problem.invokerTop), role: escapeMarkdown(problem.name) });
    case "role_permissions_invoker_lacks":
      return problem.administrator
        ? m.t("role_problem.role_permissions_invoker_lacks.administrator", { role: escapeMarkdown(problem.name) })
        : m.t("role_problem.role_permissions_invoker_lacks", { role: escapeMarkdown(problem.name) });
  }
}

function templateProblemMessage(problem: TemplateProblem, m: Messages): string {
  switch (problem.kind) {
    case "unknown_placeholder":
      return m.t("template_problem.unknown_placeholder", { placeholder: inlineCode(`{${problem.name}}`), placeholders: PLACEHOLDERS.map((p) => `\`{${p}}\``).join(", ") });
    case "empty":
      return m.t("template_problem.empty");
    case "too_long":
      return m.t("template_problem.too_long", { max: problem.max });
  }
}

/** `action` is already in the reader's language ("delete the invite `abc`"). */
function discordFailureMessage(failure: DiscordFailure, action: string, m: Messages): string {
  if (failure.kind === "discord_unavailable") {
    switch (failure.reason) {
      case "rate_limited":
        return m.t("discord_failure.rate_limited", { action });
      case "edge_blocked":
        return m.t("discord_failure.edge_blocked", { action });
      case "server_error":
      case "network":
        return m.t("discord_failure.no_answer", { action });
    }
  }
  if (failure.code === 50013 || failure.code === 50001) return m.t("discord_failure.missing_permission", { action });
  return m.t("discord_failure.refused", { action, message: escapeMarkdown(failure.message) });
}
