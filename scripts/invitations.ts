// npm run invitations -- preview|mint|stats|autopilot --guild <id> [options] [--json]
// An admin CLI on the database, with the Worker's own policy, draw and mint code.
// It mints rows; the Worker's cron sends the DMs.
import { english } from "../worker/i18n/messages";
import type { ParseArgsConfig } from "node:util";
import cliProgress from "cli-progress";
import { mintWave } from "../worker/invitations/mint";
import { describePolicy, isPolicyName, MIN_DAYS_MAX, type Policy } from "../worker/invitations/policy";
import { scheduledWaveSize } from "../worker/invitations/scheduled-waves";
import { readInvitationSettings } from "../worker/invitations/settings";
import { waveStats } from "../worker/invitations/wave-stats";
import { isKnownGuild } from "../worker/store/known-guilds";
import { CliFailure, connect, failWith, parseCli, usage } from "./lib/cli";

const USAGE = `usage: npm run invitations -- <command> --guild <id> [options]

commands:
  preview    eligible count and a sample of recipients (writes nothing)
  mint       mint a wave: --count <n> --policy <p> [--min-days <d>] [--expires-days <d>]
  stats      per wave: minted, notified, spent, spend rate, median time to spend
  autopilot  the size of the next scheduled wave [--target <joins/week>] [--max <n>] [--every-days <d>]

options:
  --guild <id>          the server (required)
  --policy <p>          unspent | never | spent_since | rewarded (default unspent)
  --count <n>           invitations to mint (preview: the sample's draw)
  --json                one JSON line on stdout, for scripts

DATABASE_URL names the database; without it, the CLI uses the one of the stack \`npm start\` runs.`;

function integer(value: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw usage(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

const OPTIONS = {
  guild: { type: "string" },
  policy: { type: "string" },
  count: { type: "string" },
  "min-days": { type: "string" },
  "expires-days": { type: "string" },
  target: { type: "string" },
  max: { type: "string" },
  "every-days": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} satisfies ParseArgsConfig["options"];

const { values, positionals } = parseCli(USAGE, OPTIONS);

function fail(error: unknown): never {
  failWith(USAGE, error);
}

const json = values.json;
const out = (human: string, data: unknown) => process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${human}\n`);

function policyFromArgs(): Policy {
  const name = values.policy ?? "unspent";
  if (!isPolicyName(name)) throw usage(`--policy must be one of unspent, never, spent_since, rewarded, not "${name}"`);
  return { name, minDays: integer(values["min-days"], "min-days", 0, MIN_DAYS_MAX, 0) };
}

async function main() {
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const command = positionals[0];
  if (!command || !["preview", "mint", "stats", "autopilot"].includes(command)) throw usage(command ? `unknown command "${command}"` : "a command is required");
  const guildId = values.guild;
  if (!guildId || !/^\d{17,20}$/.test(guildId)) throw usage("--guild <server id> is required (17 to 20 digits)");
  // Options are checked before connecting: a typo costs nothing.
  const policy = command === "preview" || command === "mint" ? policyFromArgs() : null;
  const count = command === "mint" ? integer(values.count, "count", 1, 100_000) : integer(values.count, "count", 1, 100_000, 10);
  const { db, close } = await connect();
  const now = new Date();
  try {
    // Without this, a mistyped id reads as a server with nothing eligible and no waves.
    if (!(await isKnownGuild(db, guildId))) throw new CliFailure({ kind: "unknown_guild", guildId });
    switch (command) {
      case "preview":
      case "mint": {
        const settings = await readInvitationSettings(db, guildId);
        const expiresDays = integer(values["expires-days"], "expires-days", 0, 365, settings.expiresDays);
        const bar = json || !process.stderr.isTTY ? null : new cliProgress.SingleBar({ stream: process.stderr, format: "minting [{bar}] {value}/{total}" }, cliProgress.Presets.shades_classic);
        const result = await mintWave(db, {
          guildId,
          policy: policy!,
          count,
          expiresDays,
          createdBy: "cli",
          dryRun: command === "preview",
          now,
          onProgress: (written, total) => (written === 0 || !bar ? undefined : (bar.getTotal() !== total && bar.start(total, 0), bar.update(written))),
        });
        bar?.stop();
        const n = result.recipients.length;
        out(
          [
            command === "preview"
              ? `preview (nothing written): ${result.eligible} eligible, ${describePolicy(policy!, english())}; a wave of ${count} would mint ${n}`
              : `wave #${result.waveId ?? "- (nothing written)"}: minted ${n} of ${count} requested; ${result.eligible} eligible, ${describePolicy(policy!, english())}`,
            ...(count > result.eligible ? [`only ${result.eligible} eligible: all of them ${command === "preview" ? "would get" : "got"} one`] : []),
            `${command === "preview" ? "sample" : "recipients"}: ${result.recipients.slice(0, 10).join(", ")}${n > 10 ? ` and ${n - 10} more` : ""}`,
            `seed: ${result.seed}`,
            ...(command === "mint" ? ["the Worker's cron sends the DMs within minutes"] : []),
          ].join("\n"),
          { command, guild: guildId, policy, ...result, recipients: command === "preview" ? result.recipients.slice(0, 10) : result.recipients },
        );
        return;
      }
      case "stats": {
        const waves = await waveStats(db, guildId, now, 1000);
        const lines = waves.map(
          (w) =>
            `#${w.waveId}  ${w.createdAt.toISOString().slice(0, 10)}  minted ${w.minted}  notified ${w.notified}  spent ${w.spent}  ` +
            `rate ${w.spendRate === null ? "-" : `${Math.round(w.spendRate * 100)}%`}  median ${w.medianHoursToSpend === null ? "-" : `${w.medianHoursToSpend.toFixed(1)} h`}  outstanding ${w.outstanding}`,
        );
        out(lines.length > 0 ? lines.join("\n") : "no waves yet", { command, guild: guildId, waves });
        return;
      }
      case "autopilot": {
        const settings = await readInvitationSettings(db, guildId);
        const target = integer(values.target, "target", 0, 100_000, settings.growthTarget ?? 0);
        const input = {
          guildId,
          growthTarget: target,
          waveSize: integer(values.max, "max", 0, 100_000, settings.waveSize),
          waveEveryDays: integer(values["every-days"], "every-days", 1, 365, settings.waveEveryDays),
        };
        if (target === 0) throw usage("no growth target: pass --target <joins per week> or set growth_target with /invite settings");
        const { size, plan } = await scheduledWaveSize(db, input, now);
        out(
          `next wave: ${size} invitations (target ${target} joins/week, every ${input.waveEveryDays} days, cap ${input.waveSize})\n` +
            `spend rate ${(plan!.spendRate * 100).toFixed(1)}%, ${(plan!.withinHorizon * 100).toFixed(0)}% of spends within the interval, ` +
            `${plan!.expectedFromOutstanding.toFixed(1)} joins expected from invitations already out`,
          { command, guild: guildId, ...input, size, plan },
        );
        return;
      }
    }
  } finally {
    await close();
  }
}

main().catch(fail);
