import { describe, expect, it } from "vitest";
import { roleProblemMessage } from "../../worker/commands/failures";
import { invokerRoleProblem, roleProblem, type GuildRole } from "../../worker/roles/grant-policy";
import { english } from "../../worker/i18n/messages";

const G = "900000000000000000";
const OWNER = "800000000000000000";
const ME = "700000000000000000";
const role = (id: string, position: number, permissions = "0", managed = false): GuildRole => ({ id, name: `r${id}`, position, permissions, managed });
const MANAGE_ROLES = String(1n << 28n);
const ADMIN = String(1n << 3n);
const KICK = 1n << 1n;
const BAN = 1n << 2n;
const bits = (...flags: bigint[]) => String(flags.reduce((a, b) => a | b, 0n));

describe("roleProblem (the bot can give it)", () => {
  const everyone = role(G, 0);
  it.each([
    ["a role below the bot's, with Manage Roles", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 3)], "2", null],
    ["Administrator is enough", [everyone, role("1", 5, ADMIN, true), role("2", 3)], "2", null],
    ["Manage Roles on @everyone counts", [role(G, 0, MANAGE_ROLES), role("1", 5, "0", true), role("2", 3)], "2", null],
    ["no Manage Roles", [everyone, role("1", 5, "0", true), role("2", 3)], "2", { kind: "missing_manage_roles" }],
    ["a newer role at the bot's position is below it", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 5)], "2", null],
    ["an older role at the bot's position is above it", [everyone, role("3", 5, MANAGE_ROLES, true), role("2", 5)], "2", { kind: "role_not_below_bot", name: "r2", botTop: "r3" }],
    ["a role above the bot", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 9)], "2", { kind: "role_not_below_bot", name: "r2", botTop: "r1" }],
    ["a managed role", [everyone, role("1", 5, MANAGE_ROLES, true), role("3", 2, "0", true)], "3", { kind: "managed_role", name: "r3" }],
    ["@everyone", [everyone, role("1", 5, MANAGE_ROLES, true)], G, { kind: "everyone_role" }],
    ["an unknown role", [everyone, role("1", 5, MANAGE_ROLES, true)], "7", { kind: "unknown_role" }],
  ])("%s", (_, roles, roleId, expected) => expect(roleProblem(roleId, { id: G, roles }, ["1", "3"])).toEqual(expected));
});

describe("invokerRoleProblem (the member asking could give it themselves)", () => {
  // 10 moderators (Manage Roles, kick), 20 admins, 30 helpers (kick), 40 an Administrator role high up, 5 a plain role, 11 a role with ban.
  const roles = [
    role(G, 0),
    role("10", 6, bits(1n << 28n, KICK)),
    role("20", 8, ADMIN),
    role("30", 2, bits(KICK)),
    role("40", 9, ADMIN),
    role("5", 1),
    role("11", 3, bits(BAN)),
    role("12", 6),
    role("13", 6),
  ];
  const guild = { id: G, ownerId: OWNER, roles };
  it.each([
    ["the owner may give anything, even above every role", OWNER, [], "40", null],
    ["a moderator gives a plain role below them", ME, ["10"], "5", null],
    ["a moderator gives a role with a permission they have", ME, ["10"], "30", null],
    ["only Manage Server (no role with Manage Roles)", ME, [], "5", { kind: "invoker_missing_manage_roles" }],
    ["a helper without Manage Roles", ME, ["30"], "5", { kind: "invoker_missing_manage_roles" }],
    ["a role with Administrator, to a moderator", ME, ["10"], "20", { kind: "role_not_below_invoker", name: "r20", invokerTop: "r10" }],
    ["a role with a permission the moderator lacks", ME, ["10"], "11", { kind: "role_permissions_invoker_lacks", name: "r11", administrator: false }],
    ["their own highest role", ME, ["10"], "10", { kind: "role_not_below_invoker", name: "r10", invokerTop: "r10" }],
    ["a newer role at their top position is below it", ME, ["10"], "12", null],
    ["an Administrator is still bound by the hierarchy", ME, ["20"], "40", { kind: "role_not_below_invoker", name: "r40", invokerTop: "r20" }],
    ["an Administrator may give any permission below them", ME, ["20"], "11", null],
    ["roles the guild no longer has count for nothing", ME, ["999"], "5", { kind: "invoker_missing_manage_roles" }],
    ["an unknown role", ME, ["10"], "7", { kind: "unknown_role" }],
  ])("%s", (_, userId, roleIds, roleId, expected) => expect(invokerRoleProblem(roleId, guild, { userId, roleIds })).toEqual(expected));

  it("counts Manage Roles granted to @everyone", () => {
    const open = { id: G, ownerId: OWNER, roles: [role(G, 0, MANAGE_ROLES), role("5", 1), role("10", 3)] };
    expect(invokerRoleProblem("5", open, { userId: ME, roleIds: ["10"] })).toBeNull();
    expect(invokerRoleProblem("5", open, { userId: ME, roleIds: [] })).toEqual({ kind: "role_not_below_invoker", name: "r5", invokerTop: `r${G}` });
  });

  it("breaks ties by id: at the same position the older role is the higher", () => {
    const tied = { id: G, ownerId: OWNER, roles: [role(G, 0), role("50", 4, MANAGE_ROLES), role("60", 4), role("45", 4)] };
    expect(invokerRoleProblem("60", tied, { userId: ME, roleIds: ["50"] })).toBeNull();
    expect(invokerRoleProblem("45", tied, { userId: ME, roleIds: ["50"] })).toEqual({ kind: "role_not_below_invoker", name: "r45", invokerTop: "r50" });
  });

  it("names Administrator among the permissions a role carries that the member lacks", () => {
    const low = { id: G, ownerId: OWNER, roles: [role(G, 0), role("10", 6, MANAGE_ROLES), role("20", 2, ADMIN)] };
    expect(invokerRoleProblem("20", low, { userId: ME, roleIds: ["10"] })).toEqual({ kind: "role_permissions_invoker_lacks", name: "r20", administrator: true });
  });
});

describe("roleProblemMessage for the member's own limits", () => {
  it.each([
    [{ kind: "invoker_missing_manage_roles" } as const, "You need the **Manage Roles** permission"],
    [{ kind: "role_not_below_invoker", name: "Mods*", invokerTop: "@everyone" } as const, "below your own highest role (**@\u200beveryone**), and **Mods\\*** is not below it"],
    [{ kind: "role_permissions_invoker_lacks", name: "Helper", administrator: true } as const, "**Helper** carries permissions you don't have (Administrator among them)"],
    [{ kind: "role_permissions_invoker_lacks", name: "Helper", administrator: false } as const, "**Helper** carries permissions you don't have, so"],
  ])("%j", (problem, expected) => expect(roleProblemMessage("1", problem, english())).toContain(expected));
});
