import type { Db } from "../db";
import type { DiscordRest } from "../discord/rest";
import type { Messages } from "../i18n/messages";
import type { SubcommandCall } from "./options";

/** What every interaction handler gets: validated identity and its I/O. */
export interface InteractionContext {
  env: Env;
  db: Db;
  rest: DiscordRest;
  guildId: string;
  channelId: string | undefined;
  userId: string;
  /** The invoking member's role ids (from the signed interaction), for the rules Discord applies to people. */
  memberRoleIds: readonly string[];
  now: Date;
  /** The invoker's language: replies to them read in it. */
  m: Messages;
  /** The server's language as Discord last sent it (`guild_locale`); worker/i18n/server-locale.ts adds the override. */
  guildLocale: string | undefined;
}

/** A slash command's handler also gets its options. */
export interface CommandContext extends InteractionContext {
  call: SubcommandCall;
}
