import { describe, expect, it } from "vitest";
import { roleProblem, type GuildRole } from "../../worker/roles/assignable";

const G = "900000000000000000";
const role = (id: string, position: number, permissions = "0", managed = false): GuildRole => ({ id, name: `r${id}`, position, permissions, managed });
const MANAGE_ROLES = String(1n << 28n);
const ADMIN = String(1n << 3n);

describe("roleProblem", () => {
  const everyone = role(G, 0);
  it.each([
    ["a role below the bot's, with Manage Roles", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 3)], "2", null],
    ["Administrator is enough", [everyone, role("1", 5, ADMIN, true), role("2", 3)], "2", null],
    ["Manage Roles on @everyone counts", [role(G, 0, MANAGE_ROLES), role("1", 5, "0", true), role("2", 3)], "2", null],
    ["no Manage Roles", [everyone, role("1", 5, "0", true), role("2", 3)], "2", { kind: "missing_manage_roles" }],
    ["a role at the bot's position", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 5)], "2", { kind: "role_not_below_bot", name: "r2", botTop: "r1" }],
    ["a role above the bot", [everyone, role("1", 5, MANAGE_ROLES, true), role("2", 9)], "2", { kind: "role_not_below_bot", name: "r2", botTop: "r1" }],
    ["a managed role", [everyone, role("1", 5, MANAGE_ROLES, true), role("3", 2, "0", true)], "3", { kind: "managed_role", name: "r3" }],
    ["@everyone", [everyone, role("1", 5, MANAGE_ROLES, true)], G, { kind: "everyone_role" }],
    ["an unknown role", [everyone, role("1", 5, MANAGE_ROLES, true)], "7", { kind: "unknown_role" }],
  ])("%s", (_, roles, roleId, expected) => expect(roleProblem(roleId, G, roles, ["1"])).toEqual(expected));
});
