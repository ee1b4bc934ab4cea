import * as v from "valibot";
import { isDatabaseUnavailable, openDb, type Db } from "../db";
import { DiscordRest } from "../discord/rest";
import { logError } from "../log";
import { componentHandler } from "../commands/components";
import { inviteSubcommands, type SubcommandHandler } from "../commands/invite";
import { invitationsSubcommands } from "../commands/invitations";
import { invitesSubcommands } from "../commands/invites";
import { seasonChoices } from "../commands/invites/season-choices";
import type { InteractionContext } from "../commands/context";
import { failureMessage, type Failure, type Outcome } from "../commands/failures";
import { readSubcommand } from "../commands/options";
import { canManageGuild } from "../commands/permissions";
import { forbiddenInName, sourceNameKey } from "../sources/names";
import { recordInteraction } from "../store/receipts";
import { searchLiveSources } from "../store/sources";
import { Callback, deferredResponse, messageEdit, messageResponse, updateData, type Reply } from "./reply";
import { CommandInteraction, ComponentInteraction, InteractionLanguages, InteractionType, type InteractionEnvelope } from "./types";
import { english, messages, type Messages } from "../i18n/messages";
import { matchLocale, userLocale } from "../i18n/resolve";
import { SOURCE_LOCALE } from "../i18n/locales";
import { rememberGuildLocale } from "../i18n/server-locale";

/**
 * Discord waits 3 s for the first response. Work still running after this
 * budget is answered with a deferred response and finished in the background,
 * then shown by editing the original response.
 */
export const DEFER_AFTER_MS = 1_500;
/** Autocomplete cannot be deferred: past this, no suggestions beat a failed interaction. */
const AUTOCOMPLETE_BUDGET_MS = 2_000;

const failureReply = (failure: Failure, m: Messages): Reply => ({ content: failureMessage(failure, m) });

/** Who reads the reply: the invoker's Discord language (else the server's), and the server's language as Discord sent it. */
function readers(body: unknown): { m: Messages; guildLocale: string | undefined } {
  const parsed = v.safeParse(InteractionLanguages, body);
  if (!parsed.success) return { m: english(), guildLocale: undefined };
  const { locale, guild_locale } = parsed.output;
  return { m: messages(userLocale(locale, matchLocale(guild_locale) ?? SOURCE_LOCALE)), guildLocale: guild_locale };
}

const NO_CHOICES = { type: Callback.AutocompleteResult, data: { choices: [] } };

export async function dispatchInteraction(envelope: InteractionEnvelope, body: unknown, env: Env, exec: ExecutionContext): Promise<unknown> {
  switch (envelope.type) {
    case InteractionType.Ping:
      return { type: Callback.Pong };
    case InteractionType.ApplicationCommand:
      return runCommand(envelope, body, env, exec);
    case InteractionType.Autocomplete:
      return autocomplete(body, env, exec);
    case InteractionType.MessageComponent:
      return runComponent(envelope, body, env, exec);
    default:
      return messageResponse({ content: readers(body).m.t("failure.unknown_interaction_type") });
  }
}

/**
 * The bot's commands and whether each is for admins (Manage Server, checked here as well as by
 * Discord): /invite for admins; /invites and /invitations for every member.
 */
const COMMANDS = new Map<string, { adminOnly: boolean; subcommands: Map<string, SubcommandHandler> }>([
  ["invite", { adminOnly: true, subcommands: inviteSubcommands }],
  ["invites", { adminOnly: false, subcommands: invitesSubcommands }],
  ["invitations", { adminOnly: false, subcommands: invitationsSubcommands }],
]);

const refuse = (failure: Failure) => ({ ok: false as const, failure });

/** The checks every command passes before any I/O: a readable payload, a guild, the permission, a known subcommand. */
function admit(body: unknown) {
  const parsed = v.safeParse(CommandInteraction, body);
  if (!parsed.success) return refuse({ kind: "malformed_interaction" });
  const interaction = parsed.output;
  const command = COMMANDS.get(interaction.data.name);
  if (!command) return refuse({ kind: "unknown_command", name: interaction.data.name });
  if (!interaction.guild_id) return refuse({ kind: "not_in_guild" });
  if (command.adminOnly && !canManageGuild(interaction.member?.permissions)) return refuse({ kind: "missing_permission" });
  const call = readSubcommand(interaction.data.options);
  const handler = call && command.subcommands.get(call.name);
  if (!call || !handler) return refuse({ kind: "unknown_command", name: `${interaction.data.name} ${call?.name ?? ""}`.trim() });
  return { ok: true as const, interaction, guildId: interaction.guild_id, call, handler };
}

/** A button press: a custom_id the bot set, parsed again (anyone can send any custom_id). */
function admitComponent(body: unknown) {
  const parsed = v.safeParse(ComponentInteraction, body);
  if (!parsed.success) return refuse({ kind: "malformed_interaction" });
  const interaction = parsed.output;
  if (!interaction.guild_id) return refuse({ kind: "not_in_guild" });
  const handler = componentHandler(interaction.data.custom_id);
  if (!handler) return refuse({ kind: "unknown_component" });
  if (handler.adminOnly && !canManageGuild(interaction.member?.permissions)) return refuse({ kind: "missing_permission" });
  return { ok: true as const, interaction, guildId: interaction.guild_id, handler };
}

async function runCommand(envelope: InteractionEnvelope, body: unknown, env: Env, exec: ExecutionContext) {
  const admitted = admit(body);
  const languages = readers(body);
  if (!admitted.ok) return messageResponse(failureReply(admitted.failure, languages.m));
  const { interaction, guildId, call, handler } = admitted;
  const label = `${interaction.data.name} ${call.name}`;
  return respond(envelope, env, exec, { guildId, channelId: interaction.channel_id, ...invoker(interaction), ...languages, label }, (ctx) => handler({ ...ctx, call }), {
    now: messageResponse,
    deferred: deferredResponse,
  });
}

async function runComponent(envelope: InteractionEnvelope, body: unknown, env: Env, exec: ExecutionContext) {
  const admitted = admitComponent(body);
  const languages = readers(body);
  // A refused press answers with a new ephemeral message: the message it was on stays as it was.
  if (!admitted.ok) return messageResponse(failureReply(admitted.failure, languages.m));
  const { interaction, guildId, handler } = admitted;
  const answer =
    handler.answer === "new"
      ? { now: messageResponse, deferred: () => deferredResponse() }
      : { now: (reply: Reply) => ({ type: Callback.UpdateMessage, data: updateData(reply) }), deferred: () => ({ type: Callback.DeferredUpdateMessage }) };
  return respond(envelope, env, exec, { guildId, channelId: undefined, ...invoker(interaction), ...languages, label: "component" }, handler.run, answer);
}

const invoker = (interaction: { member?: { user?: { id: string }; roles?: string[] }; user?: { id: string } }) => ({
  userId: interaction.member?.user?.id ?? interaction.user?.id ?? "0",
  memberRoleIds: interaction.member?.roles ?? [],
});

/**
 * Runs a handler within Discord's deadline: its reply if it is ready within
 * DEFER_AFTER_MS, otherwise a deferred response and an edit of the original
 * message once it is. A replayed signed request runs nothing twice.
 */
async function respond(
  envelope: InteractionEnvelope,
  env: Env,
  exec: ExecutionContext,
  who: { guildId: string; channelId: string | undefined; userId: string; memberRoleIds: readonly string[]; m: Messages; guildLocale: string | undefined; label: string },
  handler: (ctx: InteractionContext) => Promise<Outcome<Reply>>,
  answer: { now: (reply: Reply) => unknown; deferred: () => unknown },
) {
  const { db, close } = openDb(env);
  const rest = DiscordRest.fromEnv(env);
  const ctx: InteractionContext = { env, db, rest, guildId: who.guildId, channelId: who.channelId, userId: who.userId, memberRoleIds: who.memberRoleIds, now: new Date(), m: who.m, guildLocale: who.guildLocale };
  const run = async (): Promise<Reply> => {
    // A replayed signed request (still inside its timestamp window) must not act twice. Recorded
    // inside the deferrable work, so a slow database defers the answer instead of missing the 3 s.
    const [fresh] = await Promise.all([recordInteraction(db, envelope.id), rememberGuildLocale(db, who.guildId, who.guildLocale)]);
    if (!fresh) return failureReply({ kind: "duplicate_interaction" }, who.m);
    const outcome = await handler(ctx);
    return outcome.ok ? outcome.value : failureReply(outcome.failure, who.m);
  };
  const work: Promise<Reply> = run().catch((error: unknown) => {
    const fields = { command: who.label, guild: who.guildId };
    if (isDatabaseUnavailable(error)) {
      logError("database unavailable", error, fields);
      return failureReply({ kind: "database_unavailable" }, who.m);
    }
    logError("command failed", error, fields);
    return { content: who.m.t("failure.unexpected") };
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DEFER_AFTER_MS)));
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  // A reply with files cannot travel in the JSON response: it is delivered by editing the deferred one.
  if (first && !first.files?.length) {
    exec.waitUntil(close());
    return answer.now(first);
  }
  exec.waitUntil(
    work
      .then(async (reply) => {
        const edited = await rest.patch(`/webhooks/${envelope.application_id}/${envelope.token}/messages/@original`, messageEdit(reply));
        if (!edited.ok) logError("could not deliver a deferred reply", edited.error, { guild: who.guildId });
      })
      .finally(close),
  );
  return answer.deferred();
}

/**
 * What an autocomplete asks for: an admin's source (source names are admin information,
 * nobody else gets them; text that can never be in a name, a NUL or a bidi override,
 * matches nothing), or a season for the leaderboard (every member).
 */
function suggestions(admitted: ReturnType<typeof admit>): ((db: Db) => Promise<Array<{ name: string; value: string | number }>>) | null {
  if (!admitted.ok) return null;
  const focused = admitted.call.focused;
  const command = `${admitted.interaction.data.name} ${admitted.call.name}`;
  if (admitted.interaction.data.name === "invite" && focused?.name === "source" && !forbiddenInName(focused.value)) {
    return (db) => searchLiveSources(db, admitted.guildId, sourceNameKey(focused.value.slice(0, 100))).then((sources) => sources.map((s) => ({ name: s.name, value: s.name })));
  }
  if (command === "invites leaderboard" && focused?.name === "season") return (db) => seasonChoices(db, admitted.guildId, focused.value.slice(0, 100));
  return null;
}

async function autocomplete(body: unknown, env: Env, exec: ExecutionContext) {
  const admitted = admit(body);
  const suggest = suggestions(admitted);
  if (!admitted.ok || suggest === null) return NO_CHOICES;
  const { db, close } = openDb(env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const search = suggest(db).then((choices) => ({ type: Callback.AutocompleteResult, data: { choices } }));
    const late = new Promise<typeof NO_CHOICES>((resolve) => (timer = setTimeout(() => resolve(NO_CHOICES), AUTOCOMPLETE_BUDGET_MS)));
    return await Promise.race([search, late]).catch((error: unknown) => {
      logError("autocomplete failed", error, { guild: admitted.guildId });
      return NO_CHOICES;
    });
  } finally {
    clearTimeout(timer);
    exec.waitUntil(close());
  }
}
