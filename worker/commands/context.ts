import type { Db } from "../db";
import type { DiscordRest } from "../discord/rest";
import type { SubcommandCall } from "./options";

/** What every command handler gets: validated identity, its options, and its I/O. */
export interface CommandContext {
  env: Env;
  db: Db;
  rest: DiscordRest;
  guildId: string;
  channelId: string | undefined;
  userId: string;
  call: SubcommandCall;
  now: Date;
}
