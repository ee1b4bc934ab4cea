import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCron } from "./support/cron";
import { withDb } from "./support/db";

const DAY = 86_400_000;
const snowflake = (n: bigint) => String(((BigInt(Date.now()) - 1420070400000n) << 22n) + n);

describe("name retention", () => {
  it("drops the name of a member who left more than a year ago and keeps their join row; a recent leaver keeps theirs", async () => {
    const [guildId, longGone, recent, stays] = [snowflake(21n), snowflake(22n), snowflake(23n), snowflake(24n)];
    const leftAgo = (days: number | null) => (days === null ? null : new Date(Date.now() - days * DAY).toISOString());
    await withDb(async (db) => {
      for (const [userId, left] of [
        [longGone, 400],
        [recent, 100],
        [stays, null],
      ] as const) {
        await db.execute(sql`insert into members (guild_id, user_id, joined_at, left_at) values (${guildId}, ${userId}, now() - interval '500 days', ${leftAgo(left)}::timestamptz)`);
        await db.execute(sql`insert into invite_joins (guild_id, user_id, joined_at, method, candidates) values (${guildId}, ${userId}, now() - interval '500 days', 'unresolved', '{}')`);
        await db.execute(sql`insert into invitations (guild_id, code, inviter_id, inviter_name) values (${guildId}, ${`names-${userId}`}, ${userId}, ${`Name ${userId}`})`);
      }
    });

    const outcome = await runCron("30 3 * * *", [guildId]);
    expect(outcome.name_retention?.selected).toEqual([guildId]);
    const names = await withDb(async (db) => (await db.execute<{ inviter_id: string; inviter_name: string | null }>(sql`select inviter_id, inviter_name from invitations where guild_id = ${guildId}`)).rows);
    expect(Object.fromEntries(names.map((n) => [n.inviter_id, n.inviter_name]))).toEqual({ [longGone]: null, [recent]: `Name ${recent}`, [stays]: `Name ${stays}` });
    const joins = await withDb(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from invite_joins where guild_id = ${guildId}`)).rows[0]!.n);
    expect(joins).toBe(3);
    // Nothing left to drop: the guild is no longer selected.
    expect((await runCron("30 3 * * *", [guildId])).name_retention?.selected).toEqual([]);
  });
});
