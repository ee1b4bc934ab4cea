import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { validateRequestBody } from "../../simulator/spec-validation";
import { startFakeDiscord } from "../../simulator/server";

const tsx = ["--import", "tsx", "scripts/register.ts"];

describe("npm run register", () => {
  it("--dry-run prints command JSON that Discord's spec accepts for a bulk overwrite", () => {
    const out = execFileSync(process.execPath, [...tsx, "--dry-run"], { encoding: "utf8" });
    const commands = JSON.parse(out) as Array<{ name: string; default_member_permissions: string; options: Array<{ name: string }> }>;
    expect(validateRequestBody("put", "/applications/{application_id}/commands", commands)).toEqual([]);
    expect(validateRequestBody("put", "/applications/{application_id}/guilds/{guild_id}/commands", commands)).toEqual([]);
    const invite = commands.find((c) => c.name === "invite");
    expect(invite?.default_member_permissions).toBe("32");
    expect(invite?.options.map((o) => o.name)).toEqual([
      "create",
      "assign",
      "list",
      "stats",
      "recent",
      "retire",
      "attribute",
      "bonus",
      "settings",
      "health",
      "briefing",
      "mint",
      "forget",
      "revoke",
      "waves",
      "export",
      "dashboard",
      "season",
      "exclude",
      "include",
    ]);
    const invites = commands.find((c) => c.name === "invites");
    // For every member: no default permission hides it.
    expect(invites?.default_member_permissions).toBeUndefined();
    expect(invites?.options.map((o) => o.name)).toEqual(["show", "leaderboard"]);
    expect(commands.find((c) => c.name === "invitations")?.options.map((o) => o.name)).toEqual(["mine", "tree"]);
  });

  it("registers the commands in one guild through the bulk-overwrite endpoint", async () => {
    const discord = await startFakeDiscord();
    try {
      const guild = discord.state.createGuild({ name: "Register" });
      // Async: the fake Discord answers from this same process.
      const { stdout: out } = await promisify(execFile)(process.execPath, [...tsx, "--guild", guild.id], {
        encoding: "utf8",
        env: { ...process.env, DISCORD_API_BASE: discord.apiBase, DISCORD_APPLICATION_ID: "100000000000000001", DISCORD_BOT_TOKEN: "t" },
      });
      expect(out).toMatch(new RegExp(`Registered /invite \\(\\d+\\), /invites \\(\\d+\\), /invitations \\(\\d+\\) in guild ${guild.id}`));
      const puts = discord.requests.list({ method: "PUT" });
      expect(puts.map((r) => r.path)).toEqual([`/applications/100000000000000001/guilds/${guild.id}/commands`]);
    } finally {
      await discord.close();
    }
  });
});
