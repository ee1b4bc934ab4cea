// What the operator CLIs (npm run invitations, npm run privacy) share: their
// expected failures with one message and exit code each (2 with the usage for
// what was mistyped, 1 for the rest), argument parsing that names a mistyped
// option, and the Worker's own database driver on DATABASE_URL or, without it,
// on the database of the stack `npm start` runs.
import { createRequire } from "node:module";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { neonConfig } from "@neondatabase/serverless";
import { openDb, type Db } from "../../worker/db";
import { dataDir, runningStack } from "./stack-state";
import { unknownOption } from "./unknown-option";
import { startWsProxy, type WsProxy } from "./ws-proxy";

/** What a CLI expectedly fails with; `failureReport` gives each its words and exit code. */
export type Failure =
  | { kind: "usage"; message: string }
  | { kind: "unknown_option"; option: string; suggestion: string | null }
  | { kind: "no_database"; dataDir: string }
  | { kind: "unknown_guild"; guildId: string };

export class CliFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

/** Bad arguments: the usage is printed and the exit code is 2. */
export const usage = (message: string) => new CliFailure({ kind: "usage", message });

/** Exit code 2 (with the usage) for what was mistyped, 1 for the rest. */
export function failureReport(failure: Failure): { message: string; exitCode: 1 | 2 } {
  switch (failure.kind) {
    case "usage":
      return { message: failure.message, exitCode: 2 };
    case "unknown_option":
      return { message: `unknown option ${failure.option}${failure.suggestion ? ` (did you mean --${failure.suggestion}?)` : ""}`, exitCode: 2 };
    case "no_database":
      return { message: `DATABASE_URL is not set, and no local stack is running (no live stack.json in ${failure.dataDir}): start one with \`npm start\`, or set DATABASE_URL`, exitCode: 1 };
    case "unknown_guild":
      return { message: `the bot knows no server ${failure.guildId}: it has no members, invites, sources or settings recorded for it (check the id, and that the bot is in that server)`, exitCode: 1 };
  }
}

/** Ends the process with the failure's message and exit code; an unexpected error exits 1 with its message. */
export function failWith(usageText: string, error: unknown): never {
  if (error instanceof CliFailure) {
    const { message, exitCode } = failureReport(error.failure);
    process.stderr.write(exitCode === 2 ? `error: ${message}\n\n${usageText}\n` : `error: ${message}\n`);
    process.exit(exitCode);
  }
  const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message.split("\n")[0]}: ${error.cause.message}` : error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** The command line against `options`: a mistyped option is named with its nearest known one, before Node's parser words it. */
export function parseCli<O extends NonNullable<ParseArgsConfig["options"]>>(usageText: string, options: O) {
  const unknown = unknownOption(process.argv.slice(2), Object.keys(options));
  if (unknown) failWith(usageText, new CliFailure({ kind: "unknown_option", ...unknown }));
  try {
    return parseArgs({ allowPositionals: true, options });
  } catch (error) {
    failWith(usageText, usage((error as Error).message));
  }
}

/** The database of the stack `npm start` runs, as `npm run demo` finds it. */
function localStackDatabase(): string {
  const dir = dataDir();
  const stack = runningStack(dir);
  if (!stack) throw new CliFailure({ kind: "no_database", dataDir: dir });
  process.stderr.write(`DATABASE_URL is not set: using the database of the local stack (${stack.databaseUrl.replace(/\/\/[^@/]*@/, "//")})\n`);
  return stack.databaseUrl;
}

/** The Worker's driver, reaching a plain Postgres through an in-process WebSocket proxy (Neon needs none). */
export async function connect(): Promise<{ db: Db; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL || localStackDatabase();
  neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
  const neon = /\.neon\.(tech|build)$/.test(new URL(url).hostname);
  const proxy: WsProxy | null = neon ? null : await startWsProxy();
  const handle = openDb({ DATABASE_URL: url, DATABASE_WS_PROXY: proxy?.address ?? "" });
  return { db: handle.db, close: async () => (await handle.close(), await proxy?.close()) };
}
