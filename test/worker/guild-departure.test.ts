import { runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCron } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { allJoinsLanded, guildRows, knownGuild } from "./support/guild";
import { eventually, guildStub } from "./support/relay";

const DAY = 86_400_000;
const FIVE_MINUTES = "*/5 * * * *";
const HOURLY = "0 * * * *";
const DAILY = "30 3 * * *";

const departure = (guildId: string) =>
  withDb(async (db) => (await db.execute<{ reason: string }>(sql`select reason from departed_guilds where guild_id = ${guildId}`)).rows[0]);

/** Every job of every cron expression that selected the guild. */
async function jobsFor(guildId: string, at = Date.now()) {
  const selected: string[] = [];
  for (const cron of [FIVE_MINUTES, HOURLY, DAILY]) {
    for (const [job, outcome] of Object.entries(await runCron(cron, [guildId], at))) if (outcome.selected.length > 0) selected.push(job);
  }
  return selected;
}

/** What the guild's object holds: rows in each of its SQLite tables, and its alarm. */
const objectContents = (guildId: string) =>
  runInDurableObject(guildStub(guildId), async (_instance, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%'").toArray();
    const rows = Object.fromEntries(tables.map(({ name }) => [name, state.storage.sql.exec<{ n: number }>(`select count(*) as n from "${name}"`).one().n]));
    return { rows, alarm: await state.storage.getAlarm() };
  });

/** A guild with two joins in Postgres, the bot removed (its GUILD_DELETE forwarded), and the departure recorded. */
async function removedGuild(name: string, firstUser: bigint) {
  const guild = await knownGuild(name, firstUser);
  await guild.join();
  await guild.join();
  await allJoinsLanded(guild.guildId, guild.joined);
  await fakeDiscord.removeBot(guild.guildId);
  await guild.gateway.forward();
  await eventually(async () => ((await departure(guild.guildId))?.reason === "removed" ? true : undefined), 10_000, "departure recorded");
  return guild;
}

describe("the bot removed from a server", { timeout: 120_000 }, () => {
  it("stops every cron job at once, and its object drops its cache and alarm", async () => {
    const guild = await removedGuild("Removed", 781_000_000_000_000_001n);
    expect(await jobsFor(guild.guildId)).toEqual([]);
    const status = await guildStub(guild.guildId).status();
    expect(status).toMatchObject({ cachedInvites: 0, cachedAt: null, outboxDepth: 0, pendingJoins: 0 });
    await eventually(async () => ((await objectContents(guild.guildId)).alarm === null ? true : undefined), 10_000, "no alarm");
    // Nothing was asked of Discord about the server after its removal.
    const after = (await fakeDiscord.requests(`/guilds/${guild.guildId}/`)).filter((r) => r.status === 403);
    expect(after).toEqual([]);
  });

  it("an outage (unavailable: true) is not a removal: the jobs go on", async () => {
    const guild = await knownGuild("Outage", 782_000_000_000_000_001n);
    await guild.join();
    await allJoinsLanded(guild.guildId, guild.joined);
    await fakeDiscord.removeBot(guild.guildId, { unavailable: true });
    const forwarded = await guild.gateway.forward();
    expect(forwarded).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await departure(guild.guildId)).toBeUndefined();
    expect((await guildStub(guild.guildId).status()).cachedInvites).toBeGreaterThan(0);
    expect(await jobsFor(guild.guildId)).toContain("reconcile");
  });

  it("a return within the grace period keeps everything, and reconcile catches up", async () => {
    const guild = await removedGuild("Returns", 783_000_000_000_000_001n);
    const before = await guildRows(guild.guildId);
    // While the bot was away: a join nobody forwarded.
    await fakeDiscord.join(guild.code, { id: "783000000000000900", username: "meanwhile" });
    await fakeDiscord.addBot(guild.guildId);
    await guild.gateway.forward();
    await eventually(async () => ((await departure(guild.guildId)) === undefined ? true : undefined), 10_000, "departure withdrawn");
    expect(await guildRows(guild.guildId)).toEqual(before);
    // Purge day comes and goes: the server is back, nothing is purged (the member sync adds the join it missed).
    const daily = await runCron(DAILY, [guild.guildId], Date.now() + 31 * DAY);
    expect(daily.purge?.selected).toEqual([]);
    expect((await guildRows(guild.guildId)).joinUsers).toEqual(expect.arrayContaining([...before.joinUsers, "783000000000000900"]));
    const outcome = await runCron(FIVE_MINUTES, [guild.guildId]);
    expect(outcome.reconcile?.selected).toEqual([guild.guildId]);
    await eventually(async () => ((await guildStub(guild.guildId).status()).cachedInvites > 0 ? true : undefined), 10_000, "cache refetched");
    // The use of the invite the bot did not see is caught up, as after any new session.
    const uses = await withDb(async (db) => (await db.execute<{ uses: number }>(sql`select uses from invites where code = ${guild.code}`)).rows[0]?.uses);
    expect(uses).toBe(3);
  });

  it("after the grace period, the purge leaves no row of the server in any table and an empty object", async () => {
    const guild = await removedGuild("Purged", 784_000_000_000_000_001n);
    await withDb((db) => db.execute(sql`insert into guild_settings (guild_id, timezone) values (${guild.guildId}, 'Europe/Amsterdam')`));
    await withDb((db) => db.execute(sql`insert into retired_reward_roles (guild_id, role_id, invites) values (${guild.guildId}, '784000000000000777', 5)`));

    // Within the grace period (30 days by default) nothing is purged.
    await runCron(DAILY, [guild.guildId], Date.now() + 29 * DAY);
    expect((await guildRows(guild.guildId)).joinUsers).toHaveLength(2);

    const outcome = await runCron(DAILY, [guild.guildId], Date.now() + 31 * DAY);
    expect(outcome.purge?.selected).toEqual([guild.guildId]);
    const left = await withDb(async (db) => {
      const tables = await db.execute<{ table_name: string }>(sql`
        select c.table_name from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
         where c.table_schema = current_schema() and c.column_name = 'guild_id' and t.table_type = 'BASE TABLE'`);
      const counts: Record<string, number> = {};
      for (const { table_name } of tables.rows) {
        const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table_name)} where guild_id = ${guild.guildId}`);
        counts[table_name] = result.rows[0]!.n;
      }
      return counts;
    });
    expect(Object.keys(left).length).toBeGreaterThan(15);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    const contents = await objectContents(guild.guildId);
    expect(contents.alarm).toBeNull();
    expect(Object.values(contents.rows).every((n) => n === 0)).toBe(true);
  });

  it("reconcile marks a server left after three Missing Access answers in a row, when its GUILD_DELETE was lost", async () => {
    const guild = await knownGuild("Lost delete", 785_000_000_000_000_001n);
    await fakeDiscord.removeBot(guild.guildId);
    // The GUILD_DELETE is never forwarded.
    await runCron(FIVE_MINUTES, [guild.guildId]);
    await runCron(FIVE_MINUTES, [guild.guildId]);
    expect(await departure(guild.guildId)).toBeUndefined();
    // The third run reads the first two's rows, which the consumer records after it answers.
    const recorded = () => withDb(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from job_runs where guild_id = ${guild.guildId} and job = 'reconcile'`)).rows[0]!.n);
    await eventually(async () => ((await recorded()) >= 2 ? true : undefined), 10_000, "two reconcile runs recorded");
    await runCron(FIVE_MINUTES, [guild.guildId]);
    await eventually(async () => ((await departure(guild.guildId))?.reason === "missing_access" ? true : undefined), 10_000, "departure recorded");
    expect(await jobsFor(guild.guildId)).toEqual([]);
  });
});

