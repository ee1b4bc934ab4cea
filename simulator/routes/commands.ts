/**
 * Application commands: bulk overwrite (PUT) and list (GET), global and per
 * guild. The spec checks the body's shape (in the server); here are the rules
 * Discord applies on top: lowercase names, descriptions on slash commands,
 * unique names per command type.
 */
import * as errors from "../errors";
import { snowflake } from "../ids";
import { json, type Route } from "../router";
import type { FakeCommand, FakeDiscordState } from "../state";

const CHAT_INPUT = 1;
/** Discord's documented pattern for slash-command and option names. */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type CommandBody = Record<string, unknown> & { name: string; type?: number | null; description?: string | null; options?: OptionBody[] | null };
type OptionBody = Record<string, unknown> & { name: string; description?: string; options?: OptionBody[] | null };

function checkNames(commands: CommandBody[]): void {
  const fields: Record<string, errors.FieldError[]> = {};
  const checkName = (path: string, name: string) => {
    if (!NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
      fields[`${path}.name`] = [{ code: "APPLICATION_COMMAND_INVALID_NAME", message: `Command name is invalid` }];
    }
  };
  const checkOptions = (path: string, options: OptionBody[] | null | undefined) =>
    options?.forEach((o, i) => {
      checkName(`${path}.options.${i}`, o.name);
      checkOptions(`${path}.options.${i}`, o.options);
    });
  const seen = new Set<string>();
  commands.forEach((c, i) => {
    const type = c.type ?? CHAT_INPUT;
    if (type === CHAT_INPUT) {
      checkName(String(i), c.name);
      if (!c.description) fields[`${i}.description`] = [{ code: "BASE_TYPE_REQUIRED", message: "This field is required" }];
      checkOptions(String(i), c.options);
    }
    if (seen.has(`${type}:${c.name}`)) {
      fields[`${i}.name`] = [{ code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: `Application command names must be unique` }];
    }
    seen.add(`${type}:${c.name}`);
  });
  if (Object.keys(fields).length > 0) throw errors.invalidForm(fields);
}

/** Responses never carry nulls where requests may: drop them, as Discord's echo does. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

function commandJson(command: FakeCommand) {
  const body = command.body as CommandBody;
  return {
    id: command.id,
    application_id: command.application_id,
    version: command.version,
    default_member_permissions: (body.default_member_permissions as string | null | undefined) ?? null,
    type: body.type ?? CHAT_INPUT,
    name: body.name,
    description: body.description ?? "",
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
    dm_permission: (body.dm_permission as boolean | null | undefined) ?? true,
    contexts: (body.contexts as number[] | null | undefined) ?? null,
    integration_types: (body.integration_types as number[] | null | undefined) ?? [0],
    ...(body.options ? { options: withoutNulls(body.options) } : {}),
    nsfw: (body.nsfw as boolean | null | undefined) ?? false,
  };
}

export function commandRoutes(state: FakeDiscordState): Route[] {
  const overwrite = (applicationId: string, guildId: string | null, body: unknown) => {
    const key = guildId ? `${applicationId}/${guildId}` : applicationId;
    const commands = (body ?? []) as CommandBody[];
    checkNames(commands);
    const previous = state.commands.get(key) ?? [];
    const stored = commands.map((c): FakeCommand => {
      // Discord keeps a command's id when a command of the same name and type is overwritten.
      const same = previous.find((p) => p.body.name === c.name && (p.body.type ?? CHAT_INPUT) === (c.type ?? CHAT_INPUT));
      return { id: same?.id ?? snowflake(state.now()), application_id: applicationId, guild_id: guildId, version: snowflake(state.now()), body: c };
    });
    state.commands.set(key, stored);
    return json(stored.map(commandJson));
  };
  const list = (key: string) => json((state.commands.get(key) ?? []).map(commandJson));
  const assertGuild = (guildId: string) => {
    // The bot must be in the guild; Discord answers 403 otherwise.
    if (!state.guilds.has(guildId)) throw errors.missingAccess();
  };

  return [
    {
      method: "PUT",
      template: "/applications/{application_id}/commands",
      auth: "bot",
      inSpec: true,
      handler: ({ params, body }) => overwrite(params.application_id!, null, body),
    },
    {
      method: "GET",
      template: "/applications/{application_id}/commands",
      auth: "bot",
      inSpec: true,
      handler: ({ params }) => list(params.application_id!),
    },
    {
      method: "PUT",
      template: "/applications/{application_id}/guilds/{guild_id}/commands",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params, body }) => {
        assertGuild(params.guild_id!);
        return overwrite(params.application_id!, params.guild_id!, body);
      },
    },
    {
      method: "GET",
      template: "/applications/{application_id}/guilds/{guild_id}/commands",
      auth: "bot",
      inSpec: true,
      major: "guild_id",
      handler: ({ params }) => {
        assertGuild(params.guild_id!);
        return list(`${params.application_id!}/${params.guild_id!}`);
      },
    },
  ];
}
