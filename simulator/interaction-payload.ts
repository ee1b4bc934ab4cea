/**
 * `/invite …` interactions shaped as Discord sends them (APPLICATION_COMMAND or
 * AUTOCOMPLETE), for the tests and the demo. No I/O and no Node APIs: the
 * Worker's integration tests build them inside workerd.
 */

export type CommandOption = { name: string; type: number; value: string | number | boolean; focused?: boolean };

export const opt = {
  str: (name: string, value: string, focused?: boolean): CommandOption => ({ name, type: 3, value, ...(focused ? { focused } : {}) }),
  int: (name: string, value: number): CommandOption => ({ name, type: 4, value }),
  bool: (name: string, value: boolean): CommandOption => ({ name, type: 5, value }),
  user: (name: string, value: string): CommandOption => ({ name, type: 6, value }),
  channel: (name: string, value: string): CommandOption => ({ name, type: 7, value }),
  role: (name: string, value: string): CommandOption => ({ name, type: 8, value }),
};

/** Manage Server (1 << 5): what an admin using /invite has. */
export const MANAGE_GUILD_PERMISSIONS = String(1 << 5);

export interface InteractionContext {
  /** The interaction's snowflake; its token is derived from it. */
  id: string;
  applicationId: string;
  guildId: string;
  channelId: string;
  userId: string;
  permissions?: string;
  /** The member's role ids (default none: only @everyone). */
  roles?: string[];
  /** 2 = APPLICATION_COMMAND (default), 4 = AUTOCOMPLETE. */
  type?: number;
  resolved?: Record<string, unknown>;
  /** The top-level command (default "invite"). */
  command?: string;
  /** The invoker's Discord language and the server's (default en-US for both). */
  locale?: string;
  guildLocale?: string;
}

export function inviteInteraction(sub: string, options: CommandOption[], ctx: InteractionContext) {
  return commandInteraction(ctx.command ?? "invite", sub, options, ctx);
}

/** Any slash command with one subcommand (`/invites show`), or a subcommand of a group when `sub` is "group sub". */
export function commandInteraction(name: string, sub: string, options: CommandOption[], ctx: InteractionContext) {
  const [first, second] = sub.split(" ");
  const subcommand = second === undefined ? { name: first!, type: 1, options } : { name: first!, type: 2, options: [{ name: second, type: 1, options }] };
  return {
    ...interactionBase(ctx),
    data: {
      id: "300000000000000001",
      name,
      type: 1,
      options: [subcommand],
      ...(ctx.resolved ? { resolved: ctx.resolved } : {}),
    },
  };
}

/** A button press (MESSAGE_COMPONENT) on a message the bot sent. */
export function componentInteraction(customId: string, ctx: InteractionContext) {
  return {
    ...interactionBase({ ...ctx, type: 3 }),
    message: { id: "300000000000000002", channel_id: ctx.channelId, content: "", embeds: [], components: [] },
    data: { custom_id: customId, component_type: 2 },
  };
}

function interactionBase(ctx: InteractionContext) {
  return {
    id: ctx.id,
    type: ctx.type ?? 2,
    application_id: ctx.applicationId,
    token: `token-${ctx.id}`,
    version: 1,
    guild_id: ctx.guildId,
    channel_id: ctx.channelId,
    channel: { id: ctx.channelId, type: 0 },
    locale: ctx.locale ?? "en-US",
    guild_locale: ctx.guildLocale ?? "en-US",
    app_permissions: "2248473465835073",
    entitlements: [],
    authorizing_integration_owners: { "0": ctx.guildId },
    context: 0,
    member: {
      user: { id: ctx.userId, username: "admin", discriminator: "0", global_name: "Admin", avatar: null },
      roles: ctx.roles ?? [],
      permissions: ctx.permissions ?? MANAGE_GUILD_PERMISSIONS,
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
    },
  };
}
