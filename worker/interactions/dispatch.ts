import { openDb } from "../db";
import { DiscordRest } from "../discord/rest";
import { logError } from "../log";
import { inviteSubcommands } from "../commands/invite";
import type { CommandContext } from "../commands/context";
import { failureMessage, type Failure } from "../commands/failures";
import { readSubcommand } from "../commands/options";
import { canManageGuild } from "../commands/permissions";
import { searchLiveSources } from "../store/sources";
import { Callback, deferredResponse, messageData, messageResponse, type Reply } from "./reply";
import { InteractionType, type IncomingInteraction } from "./types";

/**
 * Discord waits 3 s for the first response. Work still running after this
 * budget is answered with a deferred response and finished in the background,
 * then shown by editing the original response.
 */
export const DEFER_AFTER_MS = 1_500;

const failureReply = (failure: Failure): Reply => ({ content: failureMessage(failure) });
const UNEXPECTED: Reply = { content: "Something went wrong on my side. It has been logged; please try again." };

export async function dispatchInteraction(interaction: IncomingInteraction, env: Env, exec: ExecutionContext): Promise<unknown> {
  switch (interaction.type) {
    case InteractionType.Ping:
      return { type: Callback.Pong };
    case InteractionType.ApplicationCommand:
      return runCommand(interaction, env, exec);
    case InteractionType.Autocomplete:
      return autocomplete(interaction, env, exec);
    default:
      return messageResponse({ content: "I can't handle that kind of interaction." });
  }
}

/** The checks every /invite call passes before any I/O: a guild, the permission, a known subcommand. */
function admit(interaction: IncomingInteraction) {
  const refuse = (failure: Failure) => ({ ok: false as const, failure });
  if (interaction.data?.name !== "invite") return refuse({ kind: "unknown_command", name: String(interaction.data?.name) });
  if (!interaction.guild_id) return refuse({ kind: "not_in_guild" });
  if (!canManageGuild(interaction.member?.permissions)) return refuse({ kind: "missing_permission" });
  const call = readSubcommand(interaction.data.options);
  const handler = call && inviteSubcommands[call.name];
  if (!call || !handler) return refuse({ kind: "unknown_command", name: `invite ${call?.name ?? ""}`.trim() });
  return { ok: true as const, guildId: interaction.guild_id, call, handler };
}

async function runCommand(interaction: IncomingInteraction, env: Env, exec: ExecutionContext) {
  const admitted = admit(interaction);
  if (!admitted.ok) return messageResponse(failureReply(admitted.failure));

  const { db, close } = openDb(env);
  const rest = DiscordRest.fromEnv(env);
  const ctx: CommandContext = {
    env,
    db,
    rest,
    guildId: admitted.guildId,
    channelId: interaction.channel_id,
    userId: interaction.member?.user?.id ?? interaction.user?.id ?? "0",
    call: admitted.call,
    resolved: (interaction.data?.resolved ?? {}) as CommandContext["resolved"],
    now: new Date(),
  };
  const work: Promise<Reply> = admitted
    .handler(ctx)
    .then((outcome) => (outcome.ok ? outcome.value : failureReply(outcome.failure)))
    .catch((error: unknown) => {
      logError("command failed", error, { command: `invite ${admitted.call.name}`, guild: admitted.guildId });
      return UNEXPECTED;
    });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DEFER_AFTER_MS)));
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first) {
    exec.waitUntil(close());
    return messageResponse(first);
  }
  exec.waitUntil(
    work
      .then(async (reply) => {
        const edited = await rest.patch(`/webhooks/${interaction.application_id}/${interaction.token}/messages/@original`, messageData(reply));
        if (!edited.ok) logError("could not deliver a deferred reply", edited.error, { guild: admitted.guildId });
      })
      .finally(close),
  );
  return deferredResponse();
}

async function autocomplete(interaction: IncomingInteraction, env: Env, exec: ExecutionContext) {
  const admitted = admit(interaction);
  const focused = admitted.ok ? admitted.call.focused : undefined;
  // Source names are admin information: nobody else gets suggestions.
  if (!admitted.ok || focused?.name !== "source") return { type: Callback.AutocompleteResult, data: { choices: [] } };
  const { db, close } = openDb(env);
  try {
    const sources = await searchLiveSources(db, admitted.guildId, focused.value.trim().slice(0, 100));
    return { type: Callback.AutocompleteResult, data: { choices: sources.map((s) => ({ name: s.name, value: s.name })) } };
  } finally {
    exec.waitUntil(close());
  }
}
