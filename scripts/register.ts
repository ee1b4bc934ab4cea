// npm run register [-- --guild <id>] [-- --dry-run]
// Uploads the slash commands with Discord's bulk-overwrite endpoint: to one
// guild (instant, for development) or globally. --dry-run prints the JSON only.
import { parseArgs } from "node:util";
import { commands } from "../worker/commands/definitions";

const { values } = parseArgs({
  options: { guild: { type: "string" }, "dry-run": { type: "boolean", default: false } },
});

if (values["dry-run"]) {
  process.stdout.write(`${JSON.stringify(commands, null, 2)}\n`);
  process.exit(0);
}

const applicationId = process.env.DISCORD_APPLICATION_ID;
const token = process.env.DISCORD_BOT_TOKEN;
const apiBase = process.env.DISCORD_API_BASE || "https://discord.com/api/v10";
if (!applicationId || !token) {
  console.error("Set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (or use --dry-run).");
  process.exit(1);
}
const path = values.guild
  ? `/applications/${applicationId}/guilds/${values.guild}/commands`
  : `/applications/${applicationId}/commands`;
const response = await fetch(apiBase + path, {
  method: "PUT",
  headers: { Authorization: `Bot ${token}`, "Content-Type": "application/json" },
  body: JSON.stringify(commands),
});
if (!response.ok) {
  console.error(`Discord answered ${response.status}: ${await response.text()}`);
  process.exit(1);
}
const registered = (await response.json()) as Array<{ name: string; id: string }>;
console.log(`Registered ${registered.map((c) => `/${c.name} (${c.id})`).join(", ")} ${values.guild ? `in guild ${values.guild}` : "globally"}.`);
