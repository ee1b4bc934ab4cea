import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const cli = ["--import", "tsx", "scripts/privacy.ts"];
const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [...cli, ...args], { encoding: "utf8", env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const snowflake = (n: bigint) => String(((BigInt(Date.now()) - 1420070400000n) << 22n) + n);
const [guildA, guildB, user, other] = [snowflake(11n), snowflake(12n), snowflake(13n), snowflake(14n)];
const client = new pg.Client({ connectionString: inject("databaseUrl") });
const count = async (query: string, params: unknown[]) => (await client.query(query, params)).rows[0].n as number;
const joinsCounted = (guildId: string) => count("select coalesce(sum(joins), 0)::int n from join_daily_counts where guild_id = $1", [guildId]);

beforeAll(async () => {
  await client.connect();
  for (const guildId of [guildA, guildB]) {
    await client.query(
      `insert into members (guild_id, user_id, joined_at) values ($1, $2, now() - interval '3 days'), ($1, $3, now() - interval '2 days')`,
      [guildId, user, other],
    );
    const joins = await client.query(
      `insert into invite_joins (guild_id, user_id, joined_at, method, candidates) values ($1, $2, now() - interval '3 days', 'unresolved', '{}'), ($1, $3, now() - interval '2 days', 'unresolved', '{}') returning id`,
      [guildId, user, other],
    );
    await client.query(`insert into join_log_posts (join_id, kind) values ($1, 'join')`, [joins.rows[0].id]);
    await client.query(`insert into invitations (guild_id, code, inviter_id, invited_id, inviter_name, spent_at) values ($1, $2, $3, $4, 'Their Name', now())`, [
      guildId,
      `privacy-cli-${guildId}`,
      user,
      other,
    ]);
    await client.query(`insert into inviter_bonuses (guild_id, user_id, amount, reason, created_by) values ($1, $2, 2, 'drive', $3)`, [guildId, user, other]);
  }
});
afterAll(() => client.end());

describe("npm run privacy", () => {
  it("export, a dry-run erase that writes nothing, erase, then an empty export; the counts stay", async () => {
    const first = await run(["export", "--user", user]);
    expect(first.code).toBe(0);
    const exported = JSON.parse(first.stdout);
    expect(exported.rows).toBe(8);
    expect(exported.data["members.user_id"].map((r: { guild_id: string }) => r.guild_id).sort()).toEqual([guildA, guildB].sort());
    expect(exported.data["invitations.inviter_id"][0]).toMatchObject({ inviter_name: "Their Name" });
    const counted = [await joinsCounted(guildA), await joinsCounted(guildB)];

    const dry = await run(["erase", "--user", user, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, erased: { "invite_joins.user_id": 2, "members.user_id": 2, "join_log_posts.join_id": 2 } });
    expect(JSON.parse((await run(["export", "--user", user])).stdout).rows).toBe(8);

    const erased = await run(["erase", "--user", user]);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ dryRun: false, erased: { "invite_joins.user_id": 2, "members.user_id": 2, "invitations.inviter_id": 2, "inviter_bonuses.user_id": 2 } });

    const second = JSON.parse((await run(["export", "--user", user])).stdout);
    expect(second.rows).toBe(0);
    expect(Object.values(second.data).every((rows) => (rows as unknown[]).length === 0)).toBe(true);
    // The invitations keep their status, without the inviter or their name; the other member's data is untouched.
    const invitation = await client.query(`select inviter_id, inviter_name, invited_id, spent_at from invitations where guild_id = $1`, [guildA]);
    expect(invitation.rows[0]).toMatchObject({ inviter_id: null, inviter_name: null, invited_id: other });
    expect(invitation.rows[0].spent_at).not.toBeNull();
    expect(await count("select count(*)::int n from invite_joins where user_id = $1", [other])).toBe(2);
    expect(await count("select count(*)::int n from join_log_posts where join_id in (select id from invite_joins where guild_id = $1)", [guildA])).toBe(0);
    expect([await joinsCounted(guildA), await joinsCounted(guildB)]).toEqual(counted);
  });

  it("--guild limits it to one server", async () => {
    const both = JSON.parse((await run(["export", "--user", other])).stdout);
    const one = JSON.parse((await run(["export", "--user", other, "--guild", guildA])).stdout);
    expect(one.rows).toBeGreaterThan(0);
    expect(one.rows * 2).toBe(both.rows);
  });

  it.each([
    [["export"], /--user <user id> is required/],
    [["export", "--user", "12"], /--user <user id> is required/],
    [["erase", "--user", "123456789012345678", "--guild", "x"], /--guild must be a server id/],
    [["export", "--user", "123456789012345678", "--dry-run"], /--dry-run is for erase/],
    [["forget", "--user", "123456789012345678"], /unknown command "forget"/],
    [[], /a command is required/],
    [["erase", "--user", "123456789012345678", "--nope"], /unknown option --nope/],
    [["erase", "--usr", "123456789012345678"], /unknown option --usr \(did you mean --user\?\)/],
  ])("refuses %j with the usage and exit code 2", async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("usage: npm run privacy");
  });

  it("reports an unreachable database with exit code 1", async () => {
    const { code, stderr } = await run(["export", "--user", user], { DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/none" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: /);
  });
});
