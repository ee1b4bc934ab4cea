// npm run privacy -- export|erase --user <id> [--guild <id>] [--dry-run]
// The operator's answer to a user's request about their data, on DATABASE_URL,
// with the code /invite forget runs (worker/privacy/user-data.ts).
import { eraseUserData, exportUserData } from "../worker/privacy/user-data";
import { connect, failWith, parseCli, usage } from "./lib/cli";

const USAGE = `usage: npm run privacy -- <command> --user <id> [options]

commands:
  export   print everything kept about the user, across servers, as JSON
  erase    erase it: their joins, memberships, names, and them from invitations, invites and bonuses
           (the servers' join counts stay, as anonymous numbers)

options:
  --user <id>    the Discord user id (required)
  --guild <id>   only this server
  --dry-run      erase: report what would be erased and write nothing

DATABASE_URL names the database; without it, the CLI uses the one of the stack \`npm start\` runs. A user still in a server the bot is in is seen
again as a member there by the daily member sync; /invite forget in that server
keeps them from being recorded again.`;

const SNOWFLAKE = /^\d{17,20}$/;

function fail(error: unknown): never {
  failWith(USAGE, error);
}

const { values, positionals } = parseCli(USAGE, {
  user: { type: "string" },
  guild: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
});

async function main() {
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const command = positionals[0];
  if (command !== "export" && command !== "erase") throw usage(command ? `unknown command "${command}"` : "a command is required");
  if (positionals.length > 1) throw usage(`unexpected argument "${positionals[1]}"`);
  if (!values.user || !SNOWFLAKE.test(values.user)) throw usage("--user <user id> is required (17 to 20 digits)");
  if (values.guild !== undefined && !SNOWFLAKE.test(values.guild)) throw usage("--guild must be a server id (17 to 20 digits)");
  if (command === "export" && values["dry-run"]) throw usage("--dry-run is for erase (export writes nothing)");
  const scope = { userId: values.user, guildId: values.guild ?? null };
  const { db, close } = await connect();
  try {
    if (command === "export") {
      const data = await exportUserData(db, scope);
      const rows = Object.values(data).reduce((n, r) => n + r.length, 0);
      process.stdout.write(`${JSON.stringify({ user: scope.userId, guild: scope.guildId, rows, data }, null, 2)}\n`);
      return;
    }
    const dryRun = values["dry-run"];
    const erased = await eraseUserData(db, scope, "erase", { dryRun });
    const rows = Object.values(erased).reduce((n, c) => n + c, 0);
    process.stdout.write(`${JSON.stringify({ user: scope.userId, guild: scope.guildId, dryRun, rows, erased }, null, 2)}\n`);
  } finally {
    await close();
  }
}

main().catch(fail);
