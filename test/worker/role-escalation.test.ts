/**
 * The bot gives roles on an admin's word, so it must never give one the admin
 * could not give themselves (issue 24, item 1): Manage Server alone is not
 * enough, and the role must sit below the member's highest role and carry no
 * permission they lack. Checked for every `role:` option.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sourceMarks } from "../../schema";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runCommandFinal, type CommandOptions } from "./support/interactions";

const ADMINISTRATOR = String(1n << 3n);
const MANAGE_ROLES = String(1n << 28n);
const MANAGE_GUILD = String(1n << 5n);
const MODERATOR = "200000000000000077";

/**
 * A server with the bot's role at the top, an Administrator role, a
 * moderator role (Manage Roles), a role above it, a low role carrying
 * Administrator, and a plain role below the moderator.
 */
async function hierarchy(name: string) {
  const guild = await fakeDiscord.createGuild({ name });
  await fakeDiscord.botRole(guild.id, { position: 20 });
  const role = (name: string, position: number, permissions = "0") => fakeDiscord.createRole(guild.id, { name, position, permissions });
  const [admins, senior, moderators, sneaky, members] = await Promise.all([
    role("Admins", 15, ADMINISTRATOR),
    role("Senior", 11),
    role("Moderators", 10, MANAGE_ROLES),
    role("Helper", 3, ADMINISTRATOR),
    role("Members", 2),
  ]);
  const channelId = guild.channels[0]!.id;
  /** A member with Manage Server alone: what /invite requires. */
  const manager: CommandOptions = { guildId: guild.id, channelId, userId: MODERATOR, permissions: MANAGE_GUILD, roles: [] };
  const moderator: CommandOptions = { ...manager, permissions: String(BigInt(MANAGE_GUILD) | BigInt(MANAGE_ROLES)), roles: [moderators.id] };
  return { guild, roles: { admins, senior, moderators, sneaky, members }, manager, moderator };
}

const sourceMarksOf = (guildId: string) => withDb((db) => db.select().from(sourceMarks).where(eq(sourceMarks.guildId, guildId)));

/** Each command that makes the bot give a role, run with `role:`. */
const commands = {
  create: (role: string, ctx: CommandOptions) => runCommandFinal("invite", "create", [opt.str("source", "Alt farm"), opt.role("role", role)], ctx),
};

describe("no role escalation through the bot", () => {
  it.each(Object.keys(commands) as Array<keyof typeof commands>)("/invite %s role: refuses what the member could not give, and writes nothing", async (command) => {
    const { guild, roles, manager, moderator } = await hierarchy(`Escalation ${command}`);
    const run = commands[command];
    const refusals: Array<[string, CommandOptions, string, string]> = [
      ["Manage Server alone", manager, roles.members.id, "You need the **Manage Roles** permission"],
      ["an Administrator role above the moderator", moderator, roles.admins.id, "and **Admins** is not below it"],
      ["a role above the moderator", moderator, roles.senior.id, "and **Senior** is not below it"],
      ["their own highest role", moderator, roles.moderators.id, "and **Moderators** is not below it"],
      ["a low role carrying Administrator", moderator, roles.sneaky.id, "**Helper** carries permissions you don't have (Administrator among them)"],
    ];
    for (const [label, ctx, roleId, message] of refusals) {
      expect(replyText((await run(roleId, ctx)).body.data), label).toContain(message);
    }
    expect(await sourceMarksOf(guild.id)).toEqual([]);
    expect(await fakeDiscord.guildInvites(guild.id)).toHaveLength(0);

    // A role the moderator could give themselves goes through.
    const allowed = replyText((await run(roles.members.id, moderator)).body.data);
    expect(allowed).toContain(`<@&${roles.members.id}>`);
    expect(allowed).not.toContain("You can only hand out");
  }, 60_000);
});
